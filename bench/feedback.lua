-- The feedback journey for wrk: each connection GETs the page, reads the page's
-- revision and the form's address from it (the form carries nothing per visitor),
-- then POSTs a valid critique whose comments carry a unique marker, and starts again.
-- Run with one connection per thread (-tN -cN): wrk keeps one Lua state per thread,
-- so each state then follows exactly one visitor's GET, POST, GET, POST...

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  run = os.getenv("BENCH_RUN") or "run"
  page = wrk.path
  posting = false
  sent, accepted, refused, failed_gets = 0, 0, 0, 0
end

local function form_encode(value)
  return (value:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  if posting then
    sent = sent + 1
    local body = table.concat({
      "revision=" .. form_encode(revision),
      "seconds_open=",
      "honeypot=",
      "username=",
      "email=",
      "name=Bench",
      "comments=" .. form_encode(string.format("bench %s %d %d", run, id, sent)),
    }, "&")
    -- What a browser sends with a form posted from the site's own page.
    return wrk.format("POST", action, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Sec-Fetch-Site"] = "same-origin",
    }, body)
  end
  return wrk.format("GET", page)
end

function response(status, headers, body)
  if posting then
    if status == 302 then accepted = accepted + 1 else refused = refused + 1 end
    posting = false
    return
  end
  local field = body:match('<input type="hidden" name="revision"[^>]*>')
  revision = field and (field:match('value="(%d*)"') or "")
  action = body:match('<form class="feedback%-form" method="post" action="([^"#]+)')
  if status == 200 and revision and action then
    posting = true
  else
    failed_gets = failed_gets + 1
  end
end

function done(summary, latency, requests)
  local totals = {sent = 0, accepted = 0, refused = 0, failed_gets = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format("FEEDBACK sent=%d accepted=%d refused=%d failed_gets=%d\n",
    totals.sent, totals.accepted, totals.refused, totals.failed_gets))
end
