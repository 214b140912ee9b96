-- Creates.  wrk ... -s create.lua URL -- USERS COUNT [key]
--   a task for one of the users 0 .. COUNT-1, at random; with "key", each request carries an
--   Idempotency-Key of its own (the create-key scenario).
local common = dofile("common.lua")
done = common.done

local threads_started = 0
function setup(thread)
  thread:set("thread_index", threads_started)
  threads_started = threads_started + 1
end

local users, count, next_key
local BODY = '{"title": "Benchmark task", "description": "Created by bench/ to measure POST"}'

function init(args)
  users = common.users(args[1])
  count = tonumber(args[2])
  math.randomseed(os.time() + (thread_index or 0))
  if args[3] == "key" then
    next_key = common.key_maker(thread_index)
  end
end

function request()
  local user = users[math.random(0, count - 1)]
  local headers = common.headers(user, true)
  if next_key then
    headers["Idempotency-Key"] = next_key()
  end
  return wrk.format("POST", "/api/" .. user.id .. "/tasks", headers, BODY)
end
