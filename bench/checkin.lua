-- wrk script for bench/checkin.py: the morning check-in peak and its two references.
--
--   wrk -t T -c C -d D -s bench/checkin.lua http://127.0.0.1:PORT -- MODE TOKENS_FILE RATE THREADS BUDGET
--
-- MODE     "checkin": POST /api/attendance/check-in, each request with the next staff member's own token (every
--                     token once)
--          "insert":  POST /api/bench/insert (the raw single-row INSERT reference), tokens reused in turn
--          "trivial": GET /api/bench/trivial
-- RATE     requests per second for the whole run, 0 for as fast as the connections go (closed loop). A paced run
--          keeps a fixed schedule per thread (slot k at start + k / rate), so a slow answer does not slow the
--          arrivals (no coordinated omission while connections are free).
-- THREADS  the -t value, so that each thread takes its own slice of the tokens.
-- BUDGET   milliseconds after which a thread sends no more writes (0: until its tokens are used up).
--
-- A writing thread ends cleanly: once its tokens are used up or its budget is spent, it sends only harmless GETs of
-- /api/bench/trivial until every write it sent has been answered, then prints "DONE <id>" and stops; bench/checkin.py
-- interrupts wrk when every thread is done. No write is left in flight, so every row in the database was either
-- acknowledged or refused, and the next run starts on an idle server.
--
-- done() prints one line "WRK_JSON {...}": latency percentiles (microseconds), and per status class the responses
-- counted by response(): 201 acknowledged, 409 refused, any other status an error.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

-- setup phase (its own Lua state): number the threads and keep them for done().
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

-- running phase (one Lua state per thread)
local requests = {}
local cursor = 0
local finished = false  -- no more writes to send
local reported = false
local budget_ms = 0
sent, answered = 0, 0
local interval_ms = 0
local started_ms = 0
local slot = 0
local fallback
mode = ""
acknowledged, refused, failed, other = 0, 0, 0, 0
first_ms, last_ms = 0, 0

function init(args)
  mode = args[1]
  local tokens_path, rate, thread_count = args[2], tonumber(args[3]), tonumber(args[4])
  budget_ms = tonumber(args[5] or "0")
  fallback = wrk.format("GET", "/api/bench/trivial")
  if mode == "trivial" then
    requests[1] = fallback
  else
    local index = 0
    for token in io.lines(tokens_path) do
      if index % thread_count == id then
        if mode == "checkin" then
          requests[#requests + 1] = wrk.format("POST", "/api/attendance/check-in",
            { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
            '{"mode":"office","note":"bench"}')
        else
          requests[#requests + 1] = wrk.format("POST", "/api/bench/insert", { ["Content-Type"] = "application/json" },
            '{"token":"' .. string.sub(token, 1, 11) .. '","note":"bench"}')
        end
      end
      index = index + 1
    end
  end
  if rate > 0 then
    interval_ms = 1000 / (rate / thread_count)
  end
  started_ms = now_ms()
end

function delay()
  if interval_ms == 0 then
    return 0
  end
  slot = slot + 1
  local wait = started_ms + slot * interval_ms - now_ms()
  if wait > 0 then
    return wait
  end
  return 0
end

local verified = false

function request()
  if not verified and id == 0 then
    -- wrk calls request() once on the first thread before running, only to look at the request: nothing is sent.
    verified = true
    return requests[1] or fallback
  end
  if first_ms == 0 then
    first_ms = now_ms()
  end
  if mode == "trivial" then
    return fallback
  end
  if not finished and budget_ms > 0 and now_ms() - started_ms > budget_ms then
    finished = true
  end
  if not finished then
    cursor = cursor + 1
    if cursor > #requests then
      if mode == "checkin" then
        finished = true -- every token of this thread was sent once: never send a check-in twice
      else
        cursor = 1
      end
    end
  end
  if finished then
    return fallback
  end
  sent = sent + 1
  return requests[cursor]
end

local function report_when_drained()
  if finished and not reported and answered == sent then
    reported = true
    io.write("DONE " .. id .. "\n")
    io.stdout:flush()
    wrk.thread:stop()
  end
end

function response(status, headers, body)
  if status == 200 then
    -- /bench/trivial: the trivial run, or a writing thread draining its last writes
    other = other + 1
    if mode == "trivial" then
      last_ms = now_ms()
    end
  else
    answered = answered + 1
    last_ms = now_ms()
    if status == 201 then
      acknowledged = acknowledged + 1
    elseif status == 409 then
      refused = refused + 1
    else
      failed = failed + 1
    end
  end
  report_when_drained()
end

function done(summary, latency, requests)
  local totals = { acknowledged = 0, refused = 0, failed = 0, other = 0, sent = 0, answered = 0 }
  local first, last = nil, 0
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + thread:get(key)
    end
    local thread_first, thread_last = thread:get("first_ms"), thread:get("last_ms")
    if thread_first > 0 and (first == nil or thread_first < first) then
      first = thread_first
    end
    if thread_last > last then
      last = thread_last
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"sent":%d,"answered":%d,"acknowledged":%d,"refused":%d,"failed":%d,"other":%d,"active_ms":%.3f,' ..
    '"duration_us":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"status_errors":%d}\n',
    summary.requests, totals.sent, totals.answered, totals.acknowledged, totals.refused, totals.failed, totals.other, last - (first or last),
    summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
