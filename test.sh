#!/usr/bin/env bash
# Installs what the tests need if it is missing, builds, runs every test, and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '\n==> %s\n' "$*"; }

apt_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -z "${KL_APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq || true
    KL_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@"
}

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
if ! command -v chromium >/dev/null 2>&1; then
  log "Installing Chromium for the browser tests"
  apt_install chromium fonts-dejavu-core || { echo "Could not install chromium"; exit 1; }
fi

# The SMTP tests start Debian's aiosmtpd; apt installs it for /usr/bin/python3 (a pyenv python3 first on the PATH would not see it).
if ! /usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 && ! python3 -c "import aiosmtpd" >/dev/null 2>&1; then
  log "Installing aiosmtpd for the SMTP tests"
  apt_install python3-aiosmtpd || { echo "Could not install python3-aiosmtpd"; exit 1; }
fi

# The cluster tests start deploy/run-local-cluster.sh: Redis and nginx from Debian (PostgreSQL: see its own block).
if ! command -v redis-server >/dev/null 2>&1; then
  log "Installing redis-server for the cluster tests"
  apt_install redis-server || { echo "Could not install redis-server"; exit 1; }
fi
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  log "Installing nginx for the cluster tests"
  apt_install nginx-light || apt_install nginx || { echo "Could not install nginx"; exit 1; }
fi

# The Core tests run on PostgreSQL too: a throwaway cluster (initdb/pg_ctl from Debian's package, as the postgres user
# when root) on 127.0.0.1 and a free port, started by the tests themselves (KonnectLive.Tests/Infrastructure/PostgreSqlServer.cs).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "Installing PostgreSQL for the provider tests"
  apt_install postgresql postgresql-contrib || { echo "Could not install postgresql"; exit 1; }
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export KL_CHROMIUM="${KL_CHROMIUM:-$(command -v chromium)}"

log "Restoring and building"
dotnet build KonnectLive.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

results="$(pwd)/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"

log "Running every test"
# Measurements (Category=Measurement) take minutes and assert nothing: run them by hand, see README.
# The messages figure kills the app 4 times here (KL_KILLS; each kill is a full app start, ~15 s of the suite); README's figure lines come from a by-hand run of 20.
KL_KILLS="${KL_KILLS:-4}" dotnet test KonnectLive.sln -c Release --no-build -nologo --filter "Category!=Measurement" \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" --blame-hang-timeout 5m
status=$?

# The bench (KonnectLive.Bench) in --quick: every scenario, small; one test that passes when each produced its
# figures. How fast is not asserted here: run it in full by hand (README, "Measured").
log "Running the bench (--quick)"
bench_status=0
dotnet KonnectLive.Bench/bin/Release/net10.0/KonnectLive.Bench.dll --quick > "$results/bench-quick.log" 2>&1 || bench_status=$?
grep -E '^bench: ' "$results/bench-quick.log" || tail -n 20 "$results/bench-quick.log"

passed=0; failed=0
if [ "$bench_status" -eq 0 ]; then passed=1; else failed=1; fi
for trx in "$results"/*.trx "$results"/*/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters"); t=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$counters")
  a=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# Name every failed test, with the first lines of its message, just above the summary: CI shows the tail.
if [ "$failed" -ne 0 ]; then
  for trx in "$results"/*.trx "$results"/*/*.trx; do
    [ -f "$trx" ] || continue
    python3 - "$trx" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") in ("Passed", "NotExecuted"):
        continue
    msg = r.find("t:Output/t:ErrorInfo/t:Message", ns)
    text = (msg.text or "").strip().splitlines() if msg is not None else []
    print(f"FAILED {r.get('testName')} [{r.get('duration')}]")
    for line in text[:6]:
        print(f"    {line[:300]}")
PY
  done
  if [ "$bench_status" -ne 0 ]; then echo "FAILED bench --quick (exit $bench_status): see $results/bench-quick.log"; fi
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; status=1; fi

echo
echo "${passed} passed, ${failed} failed"
if [ "$failed" -ne 0 ]; then exit 1; fi
exit "$status"
