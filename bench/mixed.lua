-- Many users, as their frontends call the API: 80% reads, 20% writes.
--   wrk ... -s mixed.lua URL -- USERS COUNT TARGETS
-- Each request is drawn at random for a user among 0 .. COUNT-1 (list, create) or for a task
-- of TARGETS (read, toggle, replace).  Deletes remove tasks this run created (Location of
-- each 201), as a user removes what they added; with none created yet, a create instead.
local common = dofile("common.lua")
done = common.done

local MIX = { -- cumulative percentages
  { 45, "list" }, -- first page, the default limit of 50
  { 80, "get" },
  { 90, "create" },
  { 95, "toggle" },
  { 98, "put" },
  { 100, "delete" },
}
local CREATE_BODY = '{"title": "Mixed workload task", "description": "Created by bench/"}'
local PUT_BODY = '{"title": "Mixed workload task, edited", "is_completed": false}'

local users, users_by_id, count, targets
local created = {} -- {user, task id} of tasks created by this thread, not yet deleted

function init(args)
  users, users_by_id = common.users(args[1])
  count = tonumber(args[2])
  targets = common.rows(args[3])
  math.randomseed(os.time())
end

local function pick()
  local draw = math.random(100)
  for _, entry in ipairs(MIX) do
    if draw <= entry[1] then
      return entry[2]
    end
  end
end

function request()
  local kind = pick()
  if kind == "delete" and #created == 0 then
    kind = "create"
  end
  if kind == "list" or kind == "create" then
    local user = users[math.random(0, count - 1)]
    local path = "/api/" .. user.id .. "/tasks"
    if kind == "list" then
      return wrk.format("GET", path, common.headers(user))
    end
    return wrk.format("POST", path, common.headers(user, true), CREATE_BODY)
  end
  if kind == "delete" then
    local task = table.remove(created)
    return wrk.format("DELETE", common.task_path(task[1], task[2]), common.headers(task[1]))
  end
  local target = targets[math.random(#targets)]
  local user = users[tonumber(target[1])]
  local path = common.task_path(user, target[2])
  if kind == "get" then
    return wrk.format("GET", path, common.headers(user))
  elseif kind == "toggle" then
    return wrk.format("PATCH", path .. "/complete", common.headers(user))
  end
  return wrk.format("PUT", path, common.headers(user, true), PUT_BODY)
end

function response(status, headers, body)
  if status == 201 then
    local location = headers["Location"] or headers["location"]
    if location then
      local user_id, task_id = string.match(location, "/api/([^/]+)/tasks/(%d+)$")
      local user = user_id and users_by_id[user_id]
      if user and #created < 10000 then
        created[#created + 1] = { user, task_id }
      end
    end
  end
end
