// A frontend's client over the types openapi-typescript generates from /openapi.json
// (./schema.d.ts, written by tests/frontend/test_typed_clients.py), with openapi-fetch.
import createClient from "openapi-fetch";

import type { paths } from "./schema";

const client = createClient<paths>({ baseUrl: "http://127.0.0.1:8000" });

export async function createThenRename(userId: string, token: string): Promise<boolean> {
  const headers = { Authorization: `Bearer ${token}` };
  // Create with a title alone: every other field has a default.
  const { data: task } = await client.POST("/api/{user_id}/tasks", {
    params: { path: { user_id: userId } },
    headers,
    body: { title: "Buy milk" },
  });
  if (task === undefined) throw new Error("create failed");
  // Every field a response always carries is typed as present.
  const done: boolean = task.is_completed;
  const description: string | null = task.description;
  const priority: "low" | "medium" | "high" = task.priority;
  const tags: string[] = task.tags;
  // Rename with the title alone (PUT keeps the rest).
  const { data: renamed } = await client.PUT("/api/{user_id}/tasks/{task_id}", {
    params: { path: { user_id: userId, task_id: task.id } },
    headers,
    body: { title: "Buy oat milk" },
  });
  const list = await client.GET("/api/{user_id}/tasks", {
    params: { path: { user_id: userId }, query: { priority: "high,medium", sort: "-due_date" } },
    headers,
  });
  const firstDone: boolean | undefined = list.data?.[0]?.is_completed;
  return done && renamed?.is_completed === true && description === null && priority !== "low"
    && tags.length === 0 && firstDone !== undefined;
}
