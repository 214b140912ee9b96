-- Shared by the wrk scripts of bench/: data files and the JSON line done() prints.
-- wrk runs with bench/ as its working directory, so scripts load this with dofile().
local M = {}

local function fields(line)
  local out = {}
  for field in string.gmatch(line, "[^\t]+") do
    out[#out + 1] = field
  end
  return out
end

-- Rows of a tab-separated file, each a list of strings.
function M.rows(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then
      out[#out + 1] = fields(line)
    end
  end
  return out
end

-- users.tsv: index, user id (UUID), bearer token. Returns users by index and by id.
function M.users(path)
  local by_index, by_id = {}, {}
  for _, row in ipairs(M.rows(path)) do
    local user = { id = row[2], auth = "Bearer " .. row[3] }
    by_index[tonumber(row[1])] = user
    by_id[row[2]] = user
  end
  return by_index, by_id
end

function M.headers(user, json)
  local headers = { ["Authorization"] = user.auth }
  if json then
    headers["Content-Type"] = "application/json"
  end
  return headers
end

function M.task_path(user, task_id)
  return "/api/" .. user.id .. "/tasks/" .. task_id
end

-- A maker of Idempotency-Key header values (RFC 8941 sf-strings, so quoted), a new one per
-- call: "<thread>-<counter>-<stamp>", unique across wrk's threads (the thread index), within
-- a thread (the counter), and across runs, warm-up and measured alike (the stamp: the time
-- and a random number drawn when the thread starts; seed math.random first).
function M.key_maker(thread_index)
  local stamp = string.format("%d%08x", os.time(), math.random(0, 2147483647))
  local prefix, counter = '"' .. (thread_index or 0) .. "-", 0
  return function()
    counter = counter + 1
    return prefix .. counter .. "-" .. stamp .. '"'
  end
end

-- One JSON object on stdout, read by bench/load.py.
function M.done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"mean_us": %.1f, "max_us": %d, "errors": {"connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, latency.max, errors.connect, errors.read,
    errors.write, errors.status, errors.timeout))
end

return M
