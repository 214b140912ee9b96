-- Creates.  wrk ... -s create.lua URL -- USERS COUNT
--   a task for one of the users 0 .. COUNT-1, at random.
local common = dofile("common.lua")
done = common.done

local users, count
local BODY = '{"title": "Benchmark task", "description": "Created by bench/ to measure POST"}'

function init(args)
  users = common.users(args[1])
  count = tonumber(args[2])
  math.randomseed(os.time())
end

function request()
  local user = users[math.random(0, count - 1)]
  return wrk.format("POST", "/api/" .. user.id .. "/tasks", common.headers(user, true), BODY)
end
