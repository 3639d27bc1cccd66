-- wrk script: GET /v1/feed-state with a 20-id page for a rotating user (one bearer token per user).
-- Page of user u: 10 contents u liked, 8 other contents, 2 ids nobody ever liked (cached as ghosts).
-- Must match the seeding in feed-state-figures.sh: user u likes ((u*7 + k*131) mod CONTENTS) + 1, k = 0..19.
local tokens = {}
for line in io.lines(os.getenv("FIGURES_TOKENS")) do
  tokens[#tokens + 1] = line
end
local contents = tonumber(os.getenv("FIGURES_CONTENTS"))
local users = #tokens
local n = 0

request = function()
  n = n + 1
  local u = math.random(1, users)
  local ids = {}
  for k = 0, 9 do
    ids[#ids + 1] = ((u * 7 + k * 131) % contents) + 1
  end
  for k = 1, 8 do
    ids[#ids + 1] = math.random(1, contents)
  end
  ids[#ids + 1] = 1000000000 + math.random(1, 50)
  ids[#ids + 1] = 1000000000 + math.random(51, 100)
  return wrk.format("GET", "/v1/feed-state?ids=" .. table.concat(ids, ","), { ["Authorization"] = "Bearer " .. tokens[u] })
end

-- Any answer but 200 is counted, so a figure never hides errors.
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx/3xx: %d  errors: connect %d read %d write %d timeout %d\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
