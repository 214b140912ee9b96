-- schema: revisions
SELECT alembic_version.version_num 
FROM alembic_version;

-- schema: schema_objects
SELECT to_regclass(%(o0)s::VARCHAR) IS NOT NULL AS o0, to_regclass(%(o1)s::VARCHAR) IS NOT NULL AS o1, to_regclass(%(o2)s::VARCHAR) IS NOT NULL AS o2, to_regprocedure(%(o3)s::VARCHAR) IS NOT NULL AS o3, to_regclass(%(o4)s::VARCHAR) IS NOT NULL AS o4, to_regclass(%(o5)s::VARCHAR) IS NOT NULL AS o5, to_regprocedure(%(o6)s::VARCHAR) IS NOT NULL AS o6, to_regtype(%(o7)s::VARCHAR) IS NOT NULL AS o7, to_regtype(%(o8)s::VARCHAR) IS NOT NULL AS o8, to_regclass(%(o9)s::VARCHAR) IS NOT NULL AS o9, to_regclass(%(o10)s::VARCHAR) IS NOT NULL AS o10, to_regclass(%(o11)s::VARCHAR) IS NOT NULL AS o11, to_regprocedure(%(o12)s::VARCHAR) IS NOT NULL AS o12;

-- tasks: counts
SELECT task_counts.total, task_counts.completed 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID;

-- tasks: create
INSERT INTO tasks (user_id, title, description, is_completed, priority, tags, due_date, remind_at, recurring_rule, recurring_interval, created_at, updated_at) SELECT %(user_id)s::UUID AS anon_1, %(title)s::VARCHAR AS anon_2, %(description)s::VARCHAR AS anon_3, %(is_completed)s AS anon_4, %(priority)s AS anon_5, %(tags)s::TEXT[] AS anon_6, %(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS anon_7, %(remind_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_8, %(recurring_rule)s AS anon_9, %(recurring_interval)s::SMALLINT AS anon_10, %(created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_11, %(updated_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_12 
WHERE EXISTS (SELECT * 
FROM users 
WHERE users.id = %(user_id)s::UUID) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: delete
DELETE FROM tasks WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: delete if-match
DELETE FROM tasks WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: get
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID;

-- tasks: list -created_at
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at due_after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at due_before
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at not overdue
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND NOT coalesce(tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed, false) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at overdue
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at priority
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.priority = ANY (%(priorities)s::task_priority[]) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at q
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at tag
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.tags @> %(tags)s::TEXT[] ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) < (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) < (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) < (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -due_date completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY coalesce(tasks.due_date, CAST('-infinity' AS TIMESTAMP WITHOUT TIME ZONE)) DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.priority, tasks.id) < (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.priority, tasks.id) < (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.priority, tasks.id) < (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -priority completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.priority DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list created_at
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) > (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) > (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), tasks.id) > (coalesce(%(key)s::TIMESTAMP WITHOUT TIME ZONE, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)), %(after_id)s::INTEGER) ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list due_date completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY coalesce(tasks.due_date, CAST('infinity' AS TIMESTAMP WITHOUT TIME ZONE)) ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.priority, tasks.id) > (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.priority, tasks.id) > (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.priority, tasks.id) > (%(key)s, %(after_id)s::INTEGER) ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list priority completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.priority ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after, every filter
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND tasks.priority = ANY (%(priorities)s::task_priority[]) AND tasks.tags @> %(tags)s::TEXT[] AND tasks.due_date < %(due_before)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date >= %(due_after)s::TIMESTAMP WITHOUT TIME ZONE AND tasks.due_date < %(now)s::TIMESTAMP WITHOUT TIME ZONE AND NOT tasks.is_completed AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at completed
SELECT tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
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
FROM next_occurrence) WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: tags
SELECT tag_counts.tag, tag_counts.count 
FROM tag_counts 
WHERE tag_counts.user_id = %(user_id)s::UUID ORDER BY tag_counts.tag;

-- tasks: toggle
UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: toggle if-match
UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update (PUT)
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update (PUT) if-match
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s, priority=%(priority)s, tags=%(tags)s::TEXT[], due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE, remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE, recurring_rule=%(recurring_rule)s, recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update description
UPDATE tasks SET description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update description if-match
UPDATE tasks SET description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update due_date
UPDATE tasks SET due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (CAST(%(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS TIMESTAMP WITHOUT TIME ZONE) IS NOT NULL OR tasks.recurring_rule IS NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update due_date if-match
UPDATE tasks SET due_date=%(due_date)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (CAST(%(due_date)s::TIMESTAMP WITHOUT TIME ZONE AS TIMESTAMP WITHOUT TIME ZONE) IS NOT NULL OR tasks.recurring_rule IS NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update is_completed
UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update is_completed if-match
UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update priority
UPDATE tasks SET priority=%(priority)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update priority if-match
UPDATE tasks SET priority=%(priority)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update recurring_interval
UPDATE tasks SET recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update recurring_interval if-match
UPDATE tasks SET recurring_interval=%(recurring_interval)s::SMALLINT WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update recurring_rule
UPDATE tasks SET recurring_rule=%(recurring_rule)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.due_date IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update recurring_rule if-match
UPDATE tasks SET recurring_rule=%(recurring_rule)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) AND (CAST(%(recurring_rule)s AS task_recurrence) IS NULL OR tasks.due_date IS NOT NULL) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update remind_at
UPDATE tasks SET remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update remind_at if-match
UPDATE tasks SET remind_at=%(remind_at)s::TIMESTAMP WITHOUT TIME ZONE WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update tags
UPDATE tasks SET tags=%(tags)s::TEXT[] WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update tags if-match
UPDATE tasks SET tags=%(tags)s::TEXT[] WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update title
UPDATE tasks SET title=%(title)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- tasks: update title if-match
UPDATE tasks SET title=%(title)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.is_completed, tasks.priority, tasks.tags, tasks.due_date, tasks.remind_at, tasks.recurring_rule, tasks.recurring_interval, tasks.id, tasks.user_id, tasks.next_occurrence_id, tasks.created_at, tasks.updated_at;

-- users: delete
DELETE FROM users WHERE users.id = %(id)s::UUID;

-- users: delete tasks
DELETE FROM tasks WHERE tasks.user_id = %(id)s::UUID;

-- users: get
SELECT users.id, users.email, users.created_at, users.updated_at 
FROM users 
WHERE users.id = %(id)s::UUID;

-- users: insert
INSERT INTO users (id, email, created_at, updated_at) VALUES (%(id)s::UUID, %(email)s::VARCHAR, %(created_at)s::TIMESTAMP WITHOUT TIME ZONE, %(updated_at)s::TIMESTAMP WITHOUT TIME ZONE) ON CONFLICT DO NOTHING;

-- users: set email
UPDATE users SET email=%(email)s::VARCHAR WHERE users.id = %(id)s::UUID RETURNING users.id, users.email, users.created_at, users.updated_at;

