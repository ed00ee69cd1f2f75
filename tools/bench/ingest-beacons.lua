-- wrk script of `npm run bench:ingest`: POSTs 20-event beacons, each of its own view, and prints
-- the figures as one JSON line. Arguments after `--`: the beacon's JSON text before the view
-- id, the text after it, the property key, and a tag that makes this run's view ids its own.
local prefix, suffix, path, tag
local thread_count = 0
local counter = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  prefix, suffix, tag = args[1], args[2], args[4]
  path = "/v1/beacons?key=" .. args[3]
end

local headers = { ["Content-Type"] = "application/json" }

function request()
  counter = counter + 1
  return wrk.format("POST", path, headers, prefix .. tag .. "-" .. thread_id .. "-" .. counter .. suffix)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"non2xx":%d,"errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
