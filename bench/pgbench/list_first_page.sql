-- The database's floor for GET /api/{user_id}/tasks?limit=50: the page query the repository
-- sends (limit + 1 rows, to know whether a next page exists), for the heavy user.
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at FROM tasks WHERE tasks.user_id = md5('bench-user-' || :users)::uuid ORDER BY tasks.created_at DESC, tasks.id DESC LIMIT 51;
