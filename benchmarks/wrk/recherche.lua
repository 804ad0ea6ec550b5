-- wrk script for the search benchmark (manage.py benchmark_charge): each request takes a path at random
-- from a file, one per line (the 2,000 most populated communes' searches). wrk -s recherche.lua URL -- FILE [RATE]
-- RATE (optional): requests per second for the whole run, spread over the connections (steady load,
-- latency measured at that rate); without it, as fast as the server answers (throughput).
local paths = {}
local pause_ms = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no path in " .. args[1]) end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
  local rate = tonumber(args[2] or "")
  local connections = tonumber(args[3] or "")
  if rate and connections then pause_ms = 1000 * connections / rate end
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function delay()
  return pause_ms
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULTAT requetes=%d duree_s=%.2f req_s=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f "
      .. "erreurs_connexion=%d erreurs_lecture=%d erreurs_ecriture=%d erreurs_http=%d delais_depasses=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.connect, e.read, e.write, e.status, e.timeout))
end
