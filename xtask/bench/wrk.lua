-- wrk script of `cargo xtask bench server --vs-velt-py` (xtask/src/bench_vs.rs):
-- the same request bodies as crates/velt-server/benches/server.rs, sent to
-- velt-server and to velt-py 0.3.0 alike.
--
-- Arguments after `--`: <scenario> <threads> <base>
--   scenario: comments_get_by_10_ids | comments_get_document_1000 | comments_save_10
--   threads:  wrk's -t, so each thread takes its own share of the save numbers
--   base:     first save number of this run (saves always write new annotations)
-- The bearer token comes from the environment (VELT_BENCH_TOKEN), never argv.
-- `done` prints one line, `wrk_result key=value ...`, which xtask parses.

local DOC_ANNOTATIONS = 1000
local threads_started = 0

local function annotation(i, doc)
  return string.format(
    '{"annotationId":"%s-ann-%d","comments":{"1":{"commentId":1,' ..
    '"commentText":"Comment %d: the quick brown fox jumps over the lazy dog, twice over.",' ..
    '"commentHtml":"<p>Comment %d: the quick brown fox jumps over the lazy dog, twice over.</p>",' ..
    '"from":{"userId":"user-%d","name":"Ada Lovelace","email":"ada@example.com"},' ..
    '"createdAt":%d}},"from":{"userId":"user-%d"},' ..
    '"status":{"id":"OPEN","name":"Open","type":"default"}}',
    doc, i, i, i, i % 50, 1700000000000 + i, i % 50)
end

local function save_body(n)
  local doc = "doc-save-" .. (n % 64)
  local parts = {}
  for i = n * 10, n * 10 + 9 do
    parts[#parts + 1] = string.format('"%s-ann-%d":%s', doc, i, annotation(i, doc))
  end
  return '{"commentAnnotation":{' .. table.concat(parts, ",") ..
    '},"metadata":{"organizationId":"org-bench","documentId":"' .. doc .. '"}}'
end

local function ids_body(n)
  local ids = {}
  for k = 0, 9 do
    ids[#ids + 1] = string.format('"doc-big-ann-%d"', (n * 37 + k * 101) % DOC_ANNOTATIONS)
  end
  return '{"organizationId":"org-bench","commentAnnotationIds":[' .. table.concat(ids, ",") .. ']}'
end

function setup(thread)
  thread:set("thread_index", threads_started)
  threads_started = threads_started + 1
end

local scenario, bodies, next_n, step

function init(args)
  scenario = args[1]
  step = tonumber(args[2])
  local base = tonumber(args[3])
  local token = os.getenv("VELT_BENCH_TOKEN")
  if not token or token == "" then error("VELT_BENCH_TOKEN is not set") end
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
  if scenario == "comments_get_by_10_ids" then
    bodies = {}
    for n = 0, DOC_ANNOTATIONS - 1 do bodies[n + 1] = ids_body(n) end
    next_n = thread_index * 500
  elseif scenario == "comments_get_document_1000" then
    wrk.body = '{"organizationId":"org-bench","documentIds":["doc-big"]}'
  elseif scenario == "comments_save_10" then
    next_n = base + thread_index
  else
    error("unknown scenario " .. tostring(scenario))
  end
end

function request()
  if scenario == "comments_get_by_10_ids" then
    local body = bodies[(next_n % DOC_ANNOTATIONS) + 1]
    next_n = next_n + 1
    return wrk.format(nil, nil, nil, body)
  elseif scenario == "comments_save_10" then
    local body = save_body(next_n)
    next_n = next_n + step
    return wrk.format(nil, nil, nil, body)
  end
  return wrk.format()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk_result requests=%d duration_us=%d bytes=%d status_errors=%d connect_errors=%d " ..
    "read_errors=%d write_errors=%d timeouts=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.status, e.connect,
    e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(99)))
end
