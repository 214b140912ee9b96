-- Lists.  wrk ... -s list.lua URL -- USERS PATHS
--   PATHS: lines "user index <TAB> path and query", e.g. "1000<TAB>/api/<id>/tasks?limit=50"
--   (a first page) or with &cursor=... (a deep page); picked at random.
local common = dofile("common.lua")
done = common.done

local users, paths

function init(args)
  users = common.users(args[1])
  paths = common.rows(args[2])
  math.randomseed(os.time())
end

function request()
  local row = paths[math.random(#paths)]
  return wrk.format("GET", row[2], common.headers(users[tonumber(row[1])]))
end
