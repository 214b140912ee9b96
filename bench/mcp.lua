-- MCP tool calls (POST /mcp, JSON-RPC), as the official SDK's client sends them on the
-- 2026-07-28 protocol: one self-contained request per call, no session.
--   wrk ... -s mcp.lua URL -- TOOL USERS ARG [ARG]
--   get_task USERS TARGETS       a random task of its user ("user index <TAB> task id")
--   list_tasks USERS INDEX       the first page of 50 of user INDEX (newest first)
--   add_task USERS COUNT         a task for one of the users 0 .. COUNT-1
local common = dofile("common.lua")
done = common.done

local tool, users, targets, count, list_user
local META = '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28",'
  .. '"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"},'
  .. '"io.modelcontextprotocol/clientCapabilities":{}}'

function init(args)
  tool = args[1]
  users = common.users(args[2])
  if tool == "get_task" then
    targets = common.rows(args[3])
  elseif tool == "list_tasks" then
    list_user = tonumber(args[3])
  else
    count = tonumber(args[3])
  end
  math.randomseed(os.time())
end

local function call(user, arguments)
  local headers = common.headers(user, true)
  headers["Accept"] = "application/json, text/event-stream"
  headers["MCP-Protocol-Version"] = "2026-07-28"
  headers["Mcp-Method"] = "tools/call"
  headers["Mcp-Name"] = tool
  local body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"' .. tool
    .. '","arguments":' .. arguments .. "," .. META .. "}}"
  return wrk.format("POST", "/mcp", headers, body)
end

function request()
  if tool == "get_task" then
    local target = targets[math.random(#targets)]
    return call(users[tonumber(target[1])], '{"task_id":' .. target[2] .. "}")
  elseif tool == "list_tasks" then
    return call(users[list_user], '{"limit":50}')
  end
  local user = users[math.random(0, count - 1)]
  return call(user, '{"title":"Benchmark task","description":"Created by bench/ to measure add_task"}')
end
