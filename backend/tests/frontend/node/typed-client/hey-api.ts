// A frontend's client over what @hey-api/openapi-ts generates from /openapi.json (./gen,
// written by tests/frontend/test_typed_clients.py): its types and its fetch SDK.
import { client } from "./gen/client.gen";
import { createTaskApiUserIdTasksPost, replaceTaskApiUserIdTasksTaskIdPut } from "./gen/sdk.gen";
import type { TaskCreate, TaskPublic, TaskReplace } from "./gen/types.gen";

client.setConfig({ baseUrl: "http://127.0.0.1:8000" });

export const created: TaskCreate = { title: "Buy milk" };
export const renamed: TaskReplace = { title: "Buy oat milk" };

export function isDone(task: TaskPublic): boolean {
  const description: string | null = task.description;
  return task.is_completed && description !== "";
}

export async function createThenRename(userId: string): Promise<boolean> {
  const { data: task } = await createTaskApiUserIdTasksPost({
    path: { user_id: userId },
    body: created,
  });
  if (task === undefined) throw new Error("create failed");
  const { data: after } = await replaceTaskApiUserIdTasksTaskIdPut({
    path: { user_id: userId, task_id: task.id },
    body: renamed,
  });
  return isDone(task) && after !== undefined && isDone(after);
}
