-- schema: revisions
SELECT alembic_version.version_num 
FROM alembic_version;

-- tasks: count q
SELECT count(*) AS n 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR);

-- tasks: count q completed
SELECT count(*) AS n 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR);

-- tasks: counts
SELECT task_counts.total, task_counts.completed 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID;

-- tasks: create
INSERT INTO tasks (user_id, title, description, is_completed, created_at, updated_at) SELECT %(user_id)s::UUID AS anon_1, %(title)s::VARCHAR AS anon_2, %(description)s::VARCHAR AS anon_3, %(is_completed)s AS anon_4, %(created_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_5, %(updated_at)s::TIMESTAMP WITHOUT TIME ZONE AS anon_6 
WHERE EXISTS (SELECT * 
FROM users 
WHERE users.id = %(user_id)s::UUID) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: delete
DELETE FROM tasks WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.id;

-- tasks: delete if-match
DELETE FROM tasks WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.id;

-- tasks: get
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID;

-- tasks: list -created_at
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at after q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.created_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -created_at q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.created_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id after q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.id) < (%(after_id)s::INTEGER) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -id q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title after q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.title, tasks.id) < (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -title q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.title DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at after q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.updated_at, tasks.id) < (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list -updated_at q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.updated_at DESC, tasks.id DESC 
 LIMIT %(limit)s;

-- tasks: list created_at
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at after q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.created_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list created_at q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.created_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id after q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.id) > (%(after_id)s::INTEGER) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list id q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title after q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.title, tasks.id) > (%(key)s::VARCHAR, %(after_id)s::INTEGER) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list title q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.title ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT task_counts.total 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at after q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) AND (tasks.updated_at, tasks.id) > (%(key)s::TIMESTAMP WITHOUT TIME ZONE, %(after_id)s::INTEGER) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at completed
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at, (SELECT CASE WHEN %(completed)s THEN task_counts.completed ELSE task_counts.total - task_counts.completed END AS anon_1 
FROM task_counts 
WHERE task_counts.user_id = %(user_id)s::UUID) AS matching_total 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at completed q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND tasks.is_completed = %(completed)s AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: list updated_at q
SELECT tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at 
FROM tasks 
WHERE tasks.user_id = %(user_id)s::UUID AND (tasks.title ILIKE %(pattern)s::VARCHAR OR tasks.description ILIKE %(pattern)s::VARCHAR) ORDER BY tasks.updated_at ASC, tasks.id ASC 
 LIMIT %(limit)s;

-- tasks: toggle
UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: toggle if-match
UPDATE tasks SET is_completed=NOT tasks.is_completed WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update description
UPDATE tasks SET description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update description if-match
UPDATE tasks SET description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update description,is_completed
UPDATE tasks SET description=%(description)s::VARCHAR, is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update description,is_completed if-match
UPDATE tasks SET description=%(description)s::VARCHAR, is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update is_completed
UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update is_completed if-match
UPDATE tasks SET is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update title
UPDATE tasks SET title=%(title)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update title if-match
UPDATE tasks SET title=%(title)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update title,description
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update title,description if-match
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update title,description,is_completed
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update title,description,is_completed if-match
UPDATE tasks SET title=%(title)s::VARCHAR, description=%(description)s::VARCHAR, is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update title,is_completed
UPDATE tasks SET title=%(title)s::VARCHAR, is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

-- tasks: update title,is_completed if-match
UPDATE tasks SET title=%(title)s::VARCHAR, is_completed=%(is_completed)s WHERE tasks.id = %(id)s::INTEGER AND tasks.user_id = %(user_id)s::UUID AND tasks.updated_at = ANY (%(versions)s::TIMESTAMP WITHOUT TIME ZONE[]) RETURNING tasks.title, tasks.description, tasks.id, tasks.user_id, tasks.is_completed, tasks.created_at, tasks.updated_at;

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

