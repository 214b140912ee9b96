// Must NOT compile: proves the checker is really checking the generated types
// (tests/frontend/test_typed_clients.py expects exactly these two errors).
import type { components } from "./schema";

type Task = components["schemas"]["TaskPublic"];
type NewTask = components["schemas"]["TaskCreate"];

export const missingTitle: NewTask = { description: "no title" };
export function completion(task: Task): string {
  return task.is_completed;
}
