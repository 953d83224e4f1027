-- bench.lua - the wrk script of `make bench`.
--
--   wrk ... -s bench.lua URL -- PATHS METHOD HOST [TOKEN [BODYFILE]]
--
-- PATHS is a file of request paths, one a line; each thread walks through
-- them from its own starting point. The requests are formatted once in
-- init(), so wrk spends no time building them while it measures. At the end
-- one JSON line reports what measure.py needs (latencies in microseconds;
-- non2xx counts answers of 400 and above, as wrk does).

local reqs, n, i = {}, 0, 0

local function slurp(name)
	local f = assert(io.open(name, "rb"))
	local s = f:read("*a")
	f:close()
	return s
end

function init(args)
	local method, host = args[2], args[3]
	local token, bodyfile = args[4], args[5]
	local headers = { Host = host }
	if token and token ~= "" then
		headers["Authorization"] = "token " .. token
	end
	local body = nil
	if bodyfile and bodyfile ~= "" then
		body = slurp(bodyfile)
		headers["Content-Type"] = "application/json"
	end
	for path in io.lines(args[1]) do
		n = n + 1
		reqs[n] = wrk.format(method, path, headers, body)
	end
end

-- Runs in the main state once per thread: each thread starts at its own
-- place in the list.
local threads = 0
function setup(thread)
	thread:set("first", threads * 7919)
	threads = threads + 1
end

function request()
	if i == 0 then
		i = (first or 0) % n
	end
	i = i % n + 1
	return reqs[i]
end

function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		'{"requests": %d, "duration_us": %d, "non2xx": %d, ' ..
		'"socket_errors": %d, "p50_us": %d, "p99_us": %d, ' ..
		'"mean_us": %.1f}\n',
		summary.requests, summary.duration, e.status,
		e.connect + e.read + e.write + e.timeout,
		latency:percentile(50), latency:percentile(99), latency.mean))
end
