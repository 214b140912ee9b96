-- The benchmark's data, rebuilt for each table size (bench/driver/database.py runs it).
--   users: 1,000 ordinary users (index 0 .. 999) and one heavy user (index 1000), with the
--          UUID md5('bench-user-<index>') and the email bench-user-<index>@example.com
--   tasks: ids 1 .. %(tasks)s; every %(stride)s-th id belongs to the heavy user, the others go
--          round robin to the ordinary users (so a user's tasks are spread over the table,
--          as they are when many users write at once); created_at = 2026-01-01 + id seconds.
-- The bearer tokens bench/ signs carry the same UUIDs (sub) and emails.
TRUNCATE tasks, task_counts, users RESTART IDENTITY;

INSERT INTO users (id, email, created_at, updated_at)
SELECT md5('bench-user-' || u)::uuid, 'bench-user-' || u || '@example.com',
       timestamp '2026-01-01', timestamp '2026-01-01'
FROM generate_series(0, %(users)s) AS u;

INSERT INTO tasks (id, user_id, title, description, is_completed, created_at, updated_at)
SELECT i,
       md5('bench-user-' || CASE WHEN i %% %(stride)s = 0 THEN %(users)s
                                 ELSE (i - i / %(stride)s - 1) %% %(users)s END)::uuid,
       'Task ' || i || ': ' || substr(md5(i::text), 1, 24),
       CASE WHEN i %% 4 = 0 THEN NULL
            ELSE 'Seeded by bench/seed.sql as row ' || i || ' of the benchmark table' END,
       i %% 3 = 0,
       timestamp '2026-01-01' + i * interval '1 second',
       timestamp '2026-01-01' + i * interval '1 second'
FROM generate_series(1, %(tasks)s) AS i;

SELECT setval('tasks_id_seq', %(tasks)s);
