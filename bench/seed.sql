-- The benchmark's data, rebuilt for each table size (bench/driver/database.py runs it).
--   users: 1,000 ordinary users (index 0 .. 999) and one heavy user (index 1000), with the
--          UUID md5('bench-user-<index>') and the email bench-user-<index>@example.com
--   tasks: ids 1 .. %(tasks)s; every %(stride)s-th id belongs to the heavy user, the others go
--          round robin to the ordinary users (so a user's tasks are spread over the table,
--          as they are when many users write at once); created_at = 2026-01-01 + id seconds.
-- The bearer tokens bench/ signs carry the same UUIDs (sub) and emails.
-- CASCADE: and every table keeping counts of them (task_counts, tag_counts...).
TRUNCATE tasks, users RESTART IDENTITY CASCADE;

INSERT INTO users (id, email, created_at, updated_at)
SELECT md5('bench-user-' || u)::uuid, 'bench-user-' || u || '@example.com',
       timestamp '2026-01-01', timestamp '2026-01-01'
FROM generate_series(0, %(users)s) AS u;

INSERT INTO tasks (id, user_id, title, description, is_completed, created_at, updated_at,
                   priority, tags, due_date)
SELECT i,
       md5('bench-user-' || CASE WHEN i %% %(stride)s = 0 THEN %(users)s
                                 ELSE (i - i / %(stride)s - 1) %% %(users)s END)::uuid,
       'Task ' || i || ': ' || substr(md5(i::text), 1, 24)
           || CASE WHEN i %% 1000 = 0 THEN ' quarterly review' ELSE '' END
           || CASE WHEN i %% 20000 = 0 THEN ' annual audit' ELSE '' END,
       CASE WHEN i %% 4 = 0 THEN NULL
            ELSE 'Seeded by bench/seed.sql as row ' || i || ' of the benchmark table' END,
       i %% 3 = 0,
       timestamp '2026-01-01' + i * interval '1 second',
       timestamp '2026-01-01' + i * interval '1 second',
       (ARRAY['low', 'medium', 'high'])[1 + b0 %% 3]::task_priority,
       array_remove(ARRAY[CASE WHEN b0 %% 2 = 0 THEN 'work' END,
                          CASE WHEN b0 %% 5 = 0 THEN 'home' END,
                          CASE WHEN b0 %% 7 = 0 THEN 'urgent' END], NULL),
       CASE WHEN b1 %% 4 > 0
            THEN timestamp '2026-01-01' + (b1 * 256 + b2) * interval '10 minutes' END
FROM generate_series(1, %(tasks)s) AS i,
     LATERAL (SELECT decode(md5(i::text), 'hex') AS h) AS hashed,
     LATERAL (SELECT get_byte(h, 0) AS b0, get_byte(h, 1) AS b1, get_byte(h, 2) AS b2) AS b;

SELECT setval('tasks_id_seq', %(tasks)s);
