-- Requests on existing tasks.  wrk ... -s target.lua URL -- MODE USERS TARGETS THREADS
--   MODE get | put | put-key | toggle | delete; TARGETS: lines "user index <TAB> task id".
-- get, put, put-key and toggle pick targets at random; delete walks them in order (thread n
-- takes lines n, n + THREADS, ...), so that no task is deleted twice. put-key is put with an
-- Idempotency-Key of its own on each request.
local common = dofile("common.lua")
done = common.done

local threads_started = 0
function setup(thread)
  thread:set("thread_index", threads_started)
  threads_started = threads_started + 1
end

local mode, users, targets, step, position, next_key
local PUT_BODY = '{"title": "Benchmark task, replaced", "description": "Written by bench/", '
  .. '"is_completed": true}'

function init(args)
  mode = args[1]
  users = common.users(args[2])
  targets = common.rows(args[3])
  step = tonumber(args[4])
  position = (thread_index or 0) + 1
  math.randomseed(os.time() + (thread_index or 0))
  if mode == "put-key" then
    next_key = common.key_maker(thread_index)
  end
end

local function next_target()
  if mode == "delete" then
    local target = targets[position]
    position = position + step
    if position > #targets then
      position = (thread_index or 0) + 1 -- ran out: repeats answer 404 and count as errors
    end
    return target
  end
  return targets[math.random(#targets)]
end

function request()
  local target = next_target()
  local user = users[tonumber(target[1])]
  local path = common.task_path(user, target[2])
  if mode == "get" then
    return wrk.format("GET", path, common.headers(user))
  elseif mode == "put" then
    return wrk.format("PUT", path, common.headers(user, true), PUT_BODY)
  elseif mode == "put-key" then
    local headers = common.headers(user, true)
    headers["Idempotency-Key"] = next_key()
    return wrk.format("PUT", path, headers, PUT_BODY)
  elseif mode == "toggle" then
    return wrk.format("PATCH", path .. "/complete", common.headers(user))
  else
    return wrk.format("DELETE", path, common.headers(user))
  end
end
