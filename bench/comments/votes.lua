-- 200 voters (one token each, rotated per request) changing their vote on one comment: 1, -1, 1, ...
-- usage: wrk -c 200 -t 2 -d 20s -s votes.lua http://127.0.0.1:8080 -- COMMENT_ID API_KEY tokens.txt
local tokens, n, i, comment, apiKey = {}, 0, 0, nil, nil

function init(args)
  comment, apiKey = args[1], args[2]
  for line in io.lines(args[3]) do n = n + 1; tokens[n] = line end
end

function request()
  i = i + 1
  -- each voter flips between 1 and -1 on every round through the tokens, so every request is a real change
  local value = (math.floor(i / n) % 2 == 0) and "1" or "-1"
  return wrk.format("PUT", "/v1/comments/" .. comment .. "/vote",
    { ["X-Api-Key"] = apiKey, ["Authorization"] = "Bearer " .. tokens[(i % n) + 1], ["Content-Type"] = "application/json" },
    '{"value":' .. value .. '}')
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
