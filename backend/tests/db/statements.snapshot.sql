-- idempotency: idempotency claim
WITH wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set)
 INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) SELECT %(user_id)s::UUID AS anon_1, %(key)s::VARCHAR AS anon_2, %(fingerprint)s AS anon_3, %(created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4 
FROM wait ON CONFLICT (user_id, key) DO NOTHING RETURNING idempotency_keys.created_at;

-- idempotency: idempotency forget expired
DELETE FROM idempotency_keys WHERE idempotency_keys.user_id = %(user_id)s::UUID AND idempotency_keys.key = %(key)s::VARCHAR AND idempotency_keys.created_at < %(expired_before)s::TIMESTAMP WITHOUT TIME ZONE;

-- idempotency: idempotency get
SELECT idempotency_keys.fingerprint, idempotency_keys.created_at, idempotency_keys.status, idempotency_keys.headers, idempotency_keys.body, idempotency_keys.snapshot IS NOT NULL AS has_snapshot 
FROM idempotency_keys 
WHERE idempotency_keys.user_id = %(user_id)s::UUID AND idempotency_keys.key = %(key)s::VARCHAR;

-- idempotency: idempotency record
INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, status, headers, body) VALUES (%(user_id)s::UUID, %(key)s::VARCHAR, %(fingerprint)s, %(created_at)s::TIMESTAMP WITHOUT TIME ZONE, %(status)s::SMALLINT, %(headers)s::JSONB, %(body)s) ON CONFLICT (user_id, key) DO UPDATE SET status = excluded.status, headers = excluded.headers, body = excluded.body;

-- idempotency: idempotency replay task
SELECT anon_1.title, anon_1.description, anon_1.is_completed, anon_1.priority, anon_1.tags, anon_1.due_date, anon_1.remind_at, anon_1.recurring_rule, anon_1.recurring_interval, anon_1.id, anon_1.user_id, anon_1.next_occurrence_id, anon_1.change_seq, anon_1.created_at, anon_1.updated_at 
FROM idempotency_keys JOIN jsonb_populate_record(CAST(NULL AS tasks), idempotency_keys.snapshot) AS anon_1 ON true 
WHERE idempotency_keys.user_id = %(user_id)s::UUID AND idempotency_keys.key = %(key)s::VARCHAR;

-- maintenance: prune keys
DELETE FROM idempotency_keys WHERE (idempotency_keys.user_id, idempotency_keys.key) IN (SELECT idempotency_keys.user_id, idempotency_keys.key 
FROM idempotency_keys 
WHERE idempotency_keys.created_at < %(before)s::TIMESTAMP WITHOUT TIME ZONE 
 LIMIT %(batch)s::INTEGER);

-- maintenance: prune tombstones
WITH pruned AS 
(DELETE FROM task_tombstones WHERE (task_tombstones.user_id, task_tombstones.change_seq) IN (SELECT task_tombstones.user_id, task_tombstones.change_seq 
FROM task_tombstones 
WHERE task_tombstones.deleted_at < %(before)s::TIMESTAMP WITHOUT TIME ZONE 
 LIMIT %(batch)s::INTEGER) RETURNING task_tombstones.user_id, task_tombstones.change_seq)
 UPDATE task_counts SET sync_pruned_seq=greatest(task_counts.sync_pruned_seq, highest.seq) FROM (SELECT pruned.user_id AS user_id, max(pruned.change_seq) AS seq 
FROM pruned GROUP BY pruned.user_id) AS highest WHERE task_counts.user_id = highest.user_id RETURNING highest.user_id;

-- outbox: outbox batch
SELECT outbox_events.id AS outbox_id, outbox_events.event_id, outbox_events.user_id AS event_user_id, outbox_events.kind, outbox_events.event_type, outbox_events.task_id, outbox_events.occurred_at, anon_1.title, anon_1.description, anon_1.is_completed, anon_1.priority, anon_1.tags, anon_1.due_date, anon_1.remind_at, anon_1.recurring_rule, anon_1.recurring_interval, anon_1.id, anon_1.user_id, anon_1.next_occurrence_id, anon_1.change_seq, anon_1.created_at, anon_1.updated_at 
FROM outbox_events LEFT OUTER JOIN jsonb_populate_record(CAST(NULL AS tasks), outbox_events.data) AS anon_1 ON true ORDER BY outbox_events.id 
 LIMIT %(limit)s::INTEGER;

-- outbox: outbox delete published
DELETE FROM outbox_events WHERE outbox_events.id = ANY (%(ids)s::BIGINT[]);

-- outbox: outbox lead
SELECT pg_try_advisory_xact_lock(%(lock_key)s::BIGINT) AS lead;

-- outbox: outbox prune
DELETE FROM outbox_events WHERE outbox_events.id IN (SELECT outbox_events.id 
FROM outbox_events 
WHERE outbox_events.occurred_at < %(before)s::TIMESTAMP WITHOUT TIME ZONE ORDER BY outbox_events.id 
 LIMIT %(batch)s::INTEGER);

-- reminders: reminders prune sent
DELETE FROM sent_reminders WHERE sent_reminders.remind_at < %(before)s::TIMESTAMP WITHOUT TIME ZONE;

-- reminders: reminders queue due
WITH due AS 
(SELECT tasks.id AS id, tasks.user_id AS user_id, tasks.title AS title, tasks.due_date AS due_date, tasks.remind_at AS remind_at 
FROM tasks 
WHERE tasks.remind_at IS NOT NULL AND NOT tasks.is_completed AND tasks.remind_at <= timezone('UTC', now()) AND tasks.remind_at > timezone('UTC', now()) - CAST(%(grace)s AS INTERVAL) AND NOT (EXISTS (SELECT * 
FROM sent_reminders 
WHERE sent_reminders.task_id = tasks.id AND sent_reminders.remind_at = tasks.remind_at)) ORDER BY tasks.remind_at 
 LIMIT %(batch)s::INTEGER), 
sent AS 
(INSERT INTO sent_reminders (task_id, remind_at) SELECT due.id AS id, due.remind_at AS remind_at 
FROM due ON CONFLICT DO NOTHING RETURNING sent_reminders.task_id, sent_reminders.remind_at)
 INSERT INTO outbox_events (user_id, kind, event_type, task_id, data) SELECT due.user_id, 'reminder', 'due', due.id, jsonb_build_object('id', due.id, 'user_id', due.user_id, 'title', due.title, 'due_date', due.due_date, 'remind_at', due.remind_at) AS jsonb_build_object_1 
FROM due JOIN sent ON sent.task_id = due.id AND sent.remind_at = due.remind_at ORDER BY due.remind_at;

-- schema: revisions
SELECT alembic_version.version_num 
FROM alembic_version;

-- schema: schema_objects
SELECT to_regclass(%(o0)s::VARCHAR) IS NOT NULL AS o0, to_regclass(%(o1)s::VARCHAR) IS NOT NULL AS o1, to_regclass(%(o2)s::VARCHAR) IS NOT NULL AS o2, to_regprocedure(%(o3)s::VARCHAR) IS NOT NULL AS o3, to_regclass(%(o4)s::VARCHAR) IS NOT NULL AS o4, to_regclass(%(o5)s::VARCHAR) IS NOT NULL AS o5, to_regprocedure(%(o6)s::VARCHAR) IS NOT NULL AS o6, to_regtype(%(o7)s::VARCHAR) IS NOT NULL AS o7, to_regtype(%(o8)s::VARCHAR) IS NOT NULL AS o8, to_regclass(%(o9)s::VARCHAR) IS NOT NULL AS o9, to_regclass(%(o10)s::VARCHAR) IS NOT NULL AS o10, to_regclass(%(o11)s::VARCHAR) IS NOT NULL AS o11, to_regprocedure(%(o12)s::VARCHAR) IS NOT NULL AS o12, to_regclass(%(o13)s::VARCHAR) IS NOT NULL AS o13, to_regclass(%(o14)s::VARCHAR) IS NOT NULL AS o14, to_regclass(%(o15)s::VARCHAR) IS NOT NULL AS o15, to_regclass(%(o16)s::VARCHAR) IS NOT NULL AS o16, to_regprocedure(%(o17)s::VARCHAR) IS NOT NULL AS o17, to_regprocedure(%(o18)s::VARCHAR) IS NOT NULL AS o18, to_regprocedure(%(o19)s::VARCHAR) IS NOT NULL AS o19, to_regclass(%(o20)s::VARCHAR) IS NOT NULL AS o20, (SELECT pg_catalog.pg_attribute.attnum 
FROM pg_catalog.pg_attribute 
WHERE pg_catalog.pg_attribute.attrelid = to_regclass(split_part(%(o21)s::VARCHAR, '.', 1)) AND pg_catalog.pg_attribute.attname = split_part(%(o21)s::VARCHAR, '.', 2) AND NOT pg_catalog.pg_attribute.attisdropped) IS NOT NULL AS o21, to_regclass(%(o22)s::VARCHAR) IS NOT NULL AS o22, to_regprocedure(%(o23)s::VARCHAR) IS NOT NULL AS o23, to_regprocedure(%(o24)s::VARCHAR) IS NOT NULL AS o24, to_regclass(%(o25)s::VARCHAR) IS NOT NULL AS o25, to_regclass(%(o26)s::VARCHAR) IS NOT NULL AS o26, CASE WHEN (to_regclass(split_part(split_part(%(o27)s::VARCHAR, ':', 1), '.', 2)) IS NULL) THEN CASE WHEN (to_regclass(split_part(split_part(%(o27)s::VARCHAR, ':', 1), '.', 1)) IS NOT NULL) THEN 1 END ELSE (SELECT 1 
FROM pg_catalog.pg_class 
WHERE pg_catalog.pg_class.oid = to_regclass(split_part(split_part(%(o27)s::VARCHAR, ':', 1), '.', 2)) AND split_part(%(o27)s::VARCHAR, ':', 2) = ANY (pg_catalog.pg_class.reloptions)) END IS NOT NULL AS o27, CASE WHEN (to_regclass(split_part(split_part(%(o28)s::VARCHAR, ':', 1), '.', 2)) IS NULL) THEN CASE WHEN (to_regclass(split_part(split_part(%(o28)s::VARCHAR, ':', 1), '.', 1)) IS NOT NULL) THEN 1 END ELSE (SELECT 1 
FROM pg_catalog.pg_class 
WHERE pg_catalog.pg_class.oid = to_regclass(split_part(split_part(%(o28)s::VARCHAR, ':', 1), '.', 2)) AND split_part(%(o28)s::VARCHAR, ':', 2) = ANY (pg_catalog.pg_class.reloptions)) END IS NOT NULL AS o28;

-- sync: sync changes after
SELECT counters.sync_counter, counters.sync_pruned, counters.sync_epoch, page.title, page.description, page.is_completed, page.priority, page.tags, page.due_date, page.remind_at, page.recurring_rule, page.recurring_interval, page.id, page.user_id, page.next_occurrence_id, page.change_seq, page.created_at, page.updated_at, page.sync_deleted_at 
FROM (SELECT greatest((SELECT max(tasks.change_seq) AS max_1 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID), (SELECT max(task_tombstones.change_seq) AS max_2 
FROM task_tombstones 
WHERE task_tombstones.user_id = %(user_id)s::UUID), (SELECT task_counts.sync_pruned_seq 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID), 0) AS sync_counter, coalesce((SELECT task_counts.sync_pruned_seq 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID), 0) AS sync_pruned, (SELECT sync_epoch.epoch 
FROM sync_epoch) AS sync_epoch) AS counters LEFT OUTER JOIN (SELECT both_kinds.title AS title, both_kinds.description AS description, both_kinds.is_completed AS is_completed, both_kinds.priority AS priority, both_kinds.tags AS tags, both_kinds.due_date AS due_date, both_kinds.remind_at AS remind_at, both_kinds.recurring_rule AS recurring_rule, both_kinds.recurring_interval AS recurring_interval, both_kinds.id AS id, both_kinds.user_id AS user_id, both_kinds.next_occurrence_id AS next_occurrence_id, both_kinds.change_seq AS change_seq, both_kinds.created_at AS created_at, both_kinds.updated_at AS updated_at, both_kinds.sync_deleted_at AS sync_deleted_at 
FROM ((SELECT tasks.title AS title, tasks.description AS description, tasks.is_completed AS is_completed, tasks.priority AS priority, tasks.tags AS tags, tasks.due_date AS due_date, tasks.remind_at AS remind_at, tasks.recurring_rule AS recurring_rule, tasks.recurring_interval AS recurring_interval, tasks.id AS id, tasks.user_id AS user_id, tasks.next_occurrence_id AS next_occurrence_id, tasks.change_seq AS change_seq, tasks.created_at AS created_at, tasks.updated_at AS updated_at, NULL AS sync_deleted_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.change_seq > %(after_seq)s::BIGINT ORDER BY tasks.change_seq 
 LIMIT %(limit)s) UNION ALL (SELECT CAST(NULL AS VARCHAR(500)) AS title, CAST(NULL AS VARCHAR(5000)) AS description, CAST(NULL AS BOOLEAN) AS is_completed, CAST(NULL AS task_priority) AS priority, CAST(NULL AS TEXT[]) AS tags, CAST(NULL AS TIMESTAMP WITHOUT TIME ZONE) AS due_date, CAST(NULL AS TIMESTAMP WITHOUT TIME ZONE) AS remind_at, CAST(NULL AS task_recurrence) AS recurring_rule, CAST(NULL AS SMALLINT) AS recurring_interval, task_tombstones.task_id AS id, task_tombstones.user_id AS user_id, CAST(NULL AS INTEGER) AS next_occurrence_id, task_tombstones.change_seq AS change_seq, CAST(NULL AS TIMESTAMP WITHOUT TIME ZONE) AS created_at, CAST(NULL AS TIMESTAMP WITHOUT TIME ZONE) AS updated_at, task_tombstones.deleted_at AS sync_deleted_at 
FROM task_tombstones 
WHERE task_tombstones.user_id = %(user_id)s::UUID AND task_tombstones.change_seq > %(after_seq)s::BIGINT ORDER BY task_tombstones.change_seq 
 LIMIT %(limit)s)) AS both_kinds ORDER BY both_kinds.change_seq 
 LIMIT %(limit)s) AS page ON true ORDER BY page.change_seq;

-- sync: sync full page
SELECT counters.sync_counter, counters.sync_pruned, counters.sync_epoch, page.title, page.description, page.is_completed, page.priority, page.tags, page.due_date, page.remind_at, page.recurring_rule, page.recurring_interval, page.id, page.user_id, page.next_occurrence_id, page.change_seq, page.created_at, page.updated_at 
FROM (SELECT greatest((SELECT max(tasks.change_seq) AS max_1 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID), (SELECT max(task_tombstones.change_seq) AS max_2 
FROM task_tombstones 
WHERE task_tombstones.user_id = %(user_id)s::UUID), (SELECT task_counts.sync_pruned_seq 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID), 0) AS sync_counter, coalesce((SELECT task_counts.sync_pruned_seq 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID), 0) AS sync_pruned, (SELECT sync_epoch.epoch 
FROM sync_epoch) AS sync_epoch) AS counters LEFT OUTER JOIN (SELECT tasks.title AS title, tasks.description AS description, tasks.is_completed AS is_completed, tasks.priority AS priority, tasks.tags AS tags, tasks.due_date AS due_date, tasks.remind_at AS remind_at, tasks.recurring_rule AS recurring_rule, tasks.recurring_interval AS recurring_interval, tasks.id AS id, tasks.user_id AS user_id, tasks.next_occurrence_id AS next_occurrence_id, tasks.change_seq AS change_seq, tasks.created_at AS created_at, tasks.updated_at AS updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.id > %(after_id)s::INTEGER ORDER BY tasks.id 
 LIMIT %(limit)s) AS page ON true ORDER BY page.id;

-- tasks: counts
SELECT task_counts.total, task_counts.completed 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID;

-- tasks: create
INSERT INTO tasks (user_id, title, description, is_completed, priority, tags, due_date, remind_at, recurring_rule, recurring_interval, created_at, updated_at) SELECT %(user_id)s::UUID AS anon_1, %(title)s::VARCHAR AS anon_2, %(description)s::VARCHAR AS anon_3, %(is_completed)s AS anon_4, %(priority)s AS anon_5, %(tags)s::TEXT[] AS anon_6, %(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS anon_7, %(remind_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_8, %(recurring_rule)s AS anon_9, %(recurring_interval)s::SMALLINT AS anon_10, %(created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_11, %(updated_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_12 
WHERE EXISTS (SELECT * 
FROM users 
WHERE users.id = %(user_id)s::UUID) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: create, keyed
WITH keyed_write AS 
(INSERT INTO tasks (user_id, title, description, is_completed, priority, tags, due_date, remind_at, recurring_rule, recurring_interval, created_at, updated_at) SELECT %(user_id)s::UUID AS anon_5, %(title)s::VARCHAR AS anon_6, %(description)s::VARCHAR AS anon_7, %(is_completed)s AS anon_8, %(priority)s AS anon_9, %(tags)s::TEXT[] AS anon_10, %(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS anon_11, %(remind_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_12, %(recurring_rule)s AS anon_13, %(recurring_interval)s::SMALLINT AS anon_14, %(created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_15, %(updated_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_16 
WHERE EXISTS (SELECT * 
FROM users 
WHERE users.id = %(user_id)s::UUID) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: delete
DELETE FROM tasks WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: delete if-match
DELETE FROM tasks WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: delete if-match, keyed
WITH keyed_write AS 
(DELETE FROM tasks WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: delete, keyed
WITH keyed_write AS 
(DELETE FROM tasks WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: get
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID;

-- tasks: list -created_at
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at due_after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at due_before
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at not overdue
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND NOT coalesce(tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed, false) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at overdue
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at priority
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.priority = ANY (%(priorities)s::task_priority[]) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at q
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at tag
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.tags @> %(tags)s::TEXT[] ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) < (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) < (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) < (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.priority, tasks.id) < (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.priority, tasks.id) < (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.priority, tasks.id) < (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list created_at
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) > (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) > (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) > (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.priority, tasks.id) > (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.priority, tasks.id) > (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.priority, tasks.id) > (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: schedule next occurrence
WITH next_occurrence AS 
(INSERT INTO tasks (user_id, title, description, priority, tags, is_completed, due_date, remind_at, recurring_rule, recurring_interval, created_at, updated_at) SELECT tasks.user_id AS user_id, tasks.title AS title, tasks.description AS description, tasks.priority AS priority, tasks.tags AS tags, false AS anon_1, %(next_due)s::TIMESTAMP WITHOUT TIME ZONE AS anon_2, %(next_remind)s::TIMESTAMP WITHOUT TIME ZONE AS anon_3, tasks.recurring_rule AS recurring_rule, tasks.recurring_interval AS recurring_interval, %(now)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, %(now)s::TIMESTAMP WITHOUT TIME ZONE AS anon_5 
FROM tasks 
WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.id)
 UPDATE tasks SET next_occurrence_id=(SELECT next_occurrence.id 
FROM next_occurrence) WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: tags
SELECT tag_counts.tag, tag_counts.count 
FROM tag_counts 
WHERE tag_counts.user_id = %(user_id)s::UUID ORDER BY tag_counts.tag;

-- tasks: toggle
UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: toggle if-match
UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: toggle if-match, schedules nothing
UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (tasks.is_completed OR tasks.recurring_rule IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: toggle if-match, schedules nothing, keyed
WITH keyed_write AS 
(UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (tasks.is_completed OR tasks.recurring_rule IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: toggle, schedules nothing
UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (tasks.is_completed OR tasks.recurring_rule IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: toggle, schedules nothing, keyed
WITH keyed_write AS 
(UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (tasks.is_completed OR tasks.recurring_rule IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update (PUT)
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update (PUT) if-match
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update (PUT) if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update (PUT) if-match, schedules nothing
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update (PUT) if-match, schedules nothing, keyed
WITH keyed_write AS 
(UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update (PUT), keyed
WITH keyed_write AS 
(UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update (PUT), schedules nothing
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update (PUT), schedules nothing, keyed
WITH keyed_write AS 
(UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update description
UPDATE tasks SET description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update description if-match
UPDATE tasks SET description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update description if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update description, keyed
WITH keyed_write AS 
(UPDATE tasks SET description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update due_date
UPDATE tasks SET due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (CAST(%(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS TIMESTAMP WITHOUT TIME ZONE) IS NOT NULL OR tasks.recurring_rule IS NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update due_date if-match
UPDATE tasks SET due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (CAST(%(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS TIMESTAMP WITHOUT TIME ZONE) IS NOT NULL OR tasks.recurring_rule IS NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update due_date if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (CAST(%(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS TIMESTAMP WITHOUT TIME ZONE) IS NOT NULL OR tasks.recurring_rule IS NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update due_date, keyed
WITH keyed_write AS 
(UPDATE tasks SET due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (CAST(%(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS TIMESTAMP WITHOUT TIME ZONE) IS NOT NULL OR tasks.recurring_rule IS NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update is_completed
UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update is_completed if-match
UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update is_completed if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update is_completed if-match, schedules nothing
UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (tasks.recurring_rule IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update is_completed if-match, schedules nothing, keyed
WITH keyed_write AS 
(UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (tasks.recurring_rule IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update is_completed, keyed
WITH keyed_write AS 
(UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update is_completed, schedules nothing
UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (tasks.recurring_rule IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update is_completed, schedules nothing, keyed
WITH keyed_write AS 
(UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (tasks.recurring_rule IS NULL OR tasks.next_occurrence_id IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update priority
UPDATE tasks SET priority=%(priority)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update priority if-match
UPDATE tasks SET priority=%(priority)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update priority if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET priority=%(priority)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update priority, keyed
WITH keyed_write AS 
(UPDATE tasks SET priority=%(priority)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update recurring_interval
UPDATE tasks SET recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update recurring_interval if-match
UPDATE tasks SET recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update recurring_interval if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update recurring_interval, keyed
WITH keyed_write AS 
(UPDATE tasks SET recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update recurring_rule
UPDATE tasks SET recurring_rule=%(recurring_rule)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.due_date IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update recurring_rule if-match
UPDATE tasks SET recurring_rule=%(recurring_rule)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.due_date IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update recurring_rule if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET recurring_rule=%(recurring_rule)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.due_date IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update recurring_rule, keyed
WITH keyed_write AS 
(UPDATE tasks SET recurring_rule=%(recurring_rule)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.due_date IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update remind_at
UPDATE tasks SET remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update remind_at if-match
UPDATE tasks SET remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update remind_at if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update remind_at, keyed
WITH keyed_write AS 
(UPDATE tasks SET remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update tags
UPDATE tasks SET tags=%(tags)s::TEXT[] WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update tags if-match
UPDATE tasks SET tags=%(tags)s::TEXT[] WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update tags if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET tags=%(tags)s::TEXT[] WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update tags, keyed
WITH keyed_write AS 
(UPDATE tasks SET tags=%(tags)s::TEXT[] WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update title
UPDATE tasks SET title=%(title)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update title if-match
UPDATE tasks SET title=%(title)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at;

-- tasks: update title if-match, keyed
WITH keyed_write AS 
(UPDATE tasks SET title=%(title)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- tasks: update title, keyed
WITH keyed_write AS 
(UPDATE tasks SET title=%(title)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.change_seq, tasks.created_at, tasks.updated_at), 
wait AS 
(SELECT set_config('lock_timeout', %(wait)s, true) AS set), 
recorded_key AS 
(INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at, snapshot) SELECT %(idempotency_user_id)s::UUID AS anon_1, %(idempotency_key)s::VARCHAR AS anon_2, %(idempotency_fingerprint)s AS anon_3, %(idempotency_created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_4, to_jsonb(keyed_write) AS to_jsonb_1 
FROM keyed_write JOIN wait ON true)
 SELECT keyed_write.title, keyed_write.description, keyed_write.is_completed, keyed_write.priority, keyed_write.tags, keyed_write.due_date, keyed_write.remind_at, keyed_write.recurring_rule, keyed_write.recurring_interval, keyed_write.id, keyed_write.user_id, keyed_write.next_occurrence_id, keyed_write.change_seq, keyed_write.created_at, keyed_write.updated_at 
FROM keyed_write;

-- users: delete
WITH gone_tasks AS 
(DELETE FROM tasks WHERE tasks.user_id = %(id)s::UUID), 
gone_keys AS 
(DELETE FROM idempotency_keys WHERE idempotency_keys.user_id = %(id)s::UUID)
 DELETE FROM users WHERE users.id = %(id)s::UUID;

-- users: get
SELECT users.id, users.email, users.created_at, users.updated_at 
FROM users 
WHERE users.id = %(id)s::UUID;

-- users: insert
INSERT INTO users (id, email, created_at, updated_at) VALUES (%(id)s::UUID, %(email)s::VARCHAR, %(created_at)s::TIMESTAMP WITHOUT TIME ZONE, %(updated_at)s::TIMESTAMP WITHOUT TIME ZONE) ON CONFLICT DO NOTHING;

-- users: set email
UPDATE users SET email=%(email)s::VARCHAR WHERE users.id = %(id)s::UUID RETURNING users.id, users.email, users.created_at, users.updated_at;

