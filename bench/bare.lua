-- The framework floor: GET /bench/bare (bench/bare_app.py), a constant JSON object.
local common = dofile("common.lua")
done = common.done
