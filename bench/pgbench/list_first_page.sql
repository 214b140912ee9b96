-- The database's floor for GET /api/{user_id}/tasks?limit=50: the page query the repository
-- sends (limit + 1 rows, to know whether a next page exists, and the user's task count for
-- X-Total-Count from task_counts), for the heavy user.
SELECT title, description, id, user_id, is_completed, created_at, updated_at, (SELECT total FROM task_counts WHERE user_id = md5('bench-user-' || :users)::uuid) AS matching_total FROM tasks WHERE user_id = md5('bench-user-' || :users)::uuid ORDER BY created_at DESC, id DESC LIMIT 51;
