-- The database's floor for GET /api/{user_id}/tasks/{id}: the SELECT the repository sends,
-- for a random task and its owner (the ownership rule of bench/seed.sql).
\set id random(1, :tasks)
\if :id % :stride = 0
\set owner :users
\else
\set owner (:id - :id / :stride - 1) % :users
\endif
SELECT title, description, id, user_id, is_completed, created_at, updated_at FROM tasks WHERE id = :id AND user_id = md5('bench-user-' || :owner)::uuid;
