#!/usr/bin/env bash
# Scale-out on one box: PostgreSQL, Redis, two KonnectLive instances and nginx in front, all on 127.0.0.1, from
# Debian's packages (installed when missing). Prints one line per URL once every instance answers /health/ready;
# Ctrl-C or SIGTERM stops everything this script started (by PID) and nothing else.
#
#   deploy/run-local-cluster.sh [-- extra app settings, e.g. --Locking:LeaseSeconds=30]
#
# Environment (all optional):
#   KL_CLUSTER_PORT      load balancer port (default: a free one)
#   KL_CLUSTER_WORKDIR   where data, logs and pid files go (default: a new temp directory, removed at the end)
#   KL_CLUSTER_DB        postgresql (default) or sqlite (both instances share one SQLite file: a try-out only)
#   KL_CLUSTER_NO_BUILD  1: use the existing build
#   KL_CLUSTER_CONFIGURATION  Release (default) or Debug
#   KL_CLUSTER_INSTANCES number of instances (default 2)
#   KL_CLUSTER_READY_SECONDS  how long an instance may take to answer /health/ready (default 300: a loaded 2-core box)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
instances="${KL_CLUSTER_INSTANCES:-2}"
db_kind="${KL_CLUSTER_DB:-postgresql}"
extra_args=()
if [ "${1:-}" = "--" ]; then shift; extra_args=("$@"); fi

say() { printf '%s\n' "$*" >&2 || true; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
install_missing() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  if [ "$db_kind" = postgresql ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then missing+=(postgresql); fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing ${missing[*]} (Debian packages)"
    as_root apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# --- stop everything we started, by PID -------------------------------------------------------------------------
pids=()          # app instances
redis_pid="" nginx_pid="" pg_dir="" pg_bin="" own_workdir=""
stopping=0
stop_all() {
  [ "$stopping" -eq 1 ] && return; stopping=1
  # Whoever read our output may be gone (a bench or test process that ended): a write must not kill us before we stop
  # what we started.
  trap '' PIPE
  say "Stopping the local cluster"
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  # Instances restarted by someone else from instance-N.sh write their pid file too.
  local all=("${pids[@]}")
  if [ -n "${workdir:-}" ]; then
    for f in "$workdir"/instance-*.pid; do [ -f "$f" ] && all+=("$(cat "$f")"); done
  fi
  for pid in "${all[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${all[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -n "$redis_pid" ] && kill -TERM "$redis_pid" 2>/dev/null || true
  if [ -n "$pg_dir" ]; then
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
    else "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  fi
  if [ -n "$own_workdir" ]; then rm -rf "$own_workdir"; [ -n "$pg_dir" ] && rm -rf "$pg_dir"; fi
}
trap 'stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

install_missing

if [ -n "${KL_CLUSTER_WORKDIR:-}" ]; then workdir="$KL_CLUSTER_WORKDIR"; mkdir -p "$workdir"
else workdir="$(mktemp -d /tmp/konnectlive-cluster.XXXXXX)"; own_workdir="$workdir"; fi
workdir="$(cd "$workdir" && pwd)"

configuration="${KL_CLUSTER_CONFIGURATION:-Release}"
if [ "${KL_CLUSTER_NO_BUILD:-}" != 1 ]; then
  say "Building KonnectLive ($configuration)"
  dotnet build "$repo/KonnectLive.Desktop/KonnectLive.Desktop.csproj" -c "$configuration" -nologo -v quiet >&2
fi
app_dll="$repo/KonnectLive.Desktop/bin/$configuration/net10.0/KonnectLive.Desktop.dll"
[ -f "$app_dll" ] || { say "No build at $app_dll"; exit 1; }

if [ "$db_kind" = postgresql ] && ! grep -rqs 'PostgreSQL' "$repo/KonnectLive.Core/Data" --include=*.cs; then
  say "This build has no PostgreSQL provider yet: the instances share one SQLite file instead"
  db_kind=sqlite
fi

# --- PostgreSQL (refuses to run as root: the postgres user owns its directory) ------------------------------------
db_args=()
if [ "$db_kind" = postgresql ]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  pg_port="$(free_port)"
  pg_dir="$(mktemp -d /tmp/konnectlive-pg.XXXXXX)"
  run_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
  run_pg "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 >"$workdir/postgres-init.log" 2>&1
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w \
    -o "-h 127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null
  run_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres konnectlive
  db_args=(--Storage:Provider=PostgreSQL
           "--ConnectionStrings:KonnectLive=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=konnectlive")
  say "PostgreSQL on 127.0.0.1:$pg_port"
else
  db_args=("--Storage:SqlitePath=$workdir/konnectlive.db")
fi
db_args+=(--Storage:SeedDemoData=true) # a local demo cluster runs as Production, but with the demo accounts dotnet run gives

# --- Redis ------------------------------------------------------------------------------------------------------
redis_port="$(free_port)"
redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --save "" --appendonly no \
  --dir "$workdir" --pidfile "$workdir/redis.pid" --logfile "$workdir/redis.log"
for _ in $(seq 1 50); do [ -s "$workdir/redis.pid" ] && break; sleep 0.1; done
redis_pid="$(cat "$workdir/redis.pid")"
say "Redis on 127.0.0.1:$redis_port"

# --- the instances ----------------------------------------------------------------------------------------------
ready() { curl -fsS -o /dev/null --max-time 5 "$1/health/ready" 2>/dev/null; }
ready_seconds="${KL_CLUSTER_READY_SECONDS:-300}"
wait_ready() {
  local url="$1" pid="$2" log="$3" name="$4" started=$SECONDS
  while [ $((SECONDS - started)) -lt "$ready_seconds" ]; do
    if ready "$url"; then say "$name ready after $((SECONDS - started)) s"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { say "$name stopped while starting; its log:"; tail -n 40 "$log" >&2; return 1; }
    sleep 0.2
  done
  say "$name ($url) did not answer /health/ready within $ready_seconds s (load average $(cut -d' ' -f1-3 /proc/loadavg)); its log ends:"
  tail -n 20 "$log" >&2; return 1
}

if [ "$db_kind" = postgresql ] && grep -rqs -- '--migrate' "$repo/KonnectLive.Desktop" --include=*.cs; then
  say "Migrating the database (once, before any instance starts)"
  (cd "$workdir" && dotnet "$app_dll" --migrate "${db_args[@]}" "${extra_args[@]}" >"$workdir/migrate.log" 2>&1) \
    || { tail -n 40 "$workdir/migrate.log" >&2; exit 1; }
  db_args+=(--Storage:MigrateOnStart=false) # the instances only check that it was done
fi

urls=()
for i in $(seq 1 "$instances"); do
  port="$(free_port)"; url="http://127.0.0.1:$port"
  # A launcher per instance, so that one can be restarted alone (as the cluster tests do).
  {
    echo "#!/usr/bin/env bash"
    echo "cd $(printf %q "$workdir")"
    printf 'exec dotnet %q' "$app_dll"
    for a in "--urls=$url" "--Redis:Configuration=127.0.0.1:$redis_port" "--ForwardedHeaders:KnownProxies:0=127.0.0.1" \
             "--Messaging:QuartzSqlitePath=$workdir/quartz-$i.db" "${db_args[@]}" "${extra_args[@]}"; do printf ' %q' "$a"; done
    echo ' >>'"$(printf %q "$workdir/instance-$i.log")"' 2>&1'
  } >"$workdir/instance-$i.sh"
  chmod +x "$workdir/instance-$i.sh"
  ASPNETCORE_ENVIRONMENT=Production setsid "$workdir/instance-$i.sh" &
  pid=$!
  pids+=("$pid"); echo "$pid" >"$workdir/instance-$i.pid"
  urls+=("$url")
  # The first instance migrates and seeds alone (when there is no --migrate step); the others start after it.
  if [ "$i" -eq 1 ]; then wait_ready "$url" "$pid" "$workdir/instance-$i.log" "instance $i" || exit 1; fi
done
for i in $(seq 2 "$instances"); do
  wait_ready "${urls[$((i-1))]}" "${pids[$((i-1))]}" "$workdir/instance-$i.log" "instance $i" || exit 1
done

# --- nginx ------------------------------------------------------------------------------------------------------
lb_port="${KL_CLUSTER_PORT:-$(free_port)}"
mkdir -p "$workdir/nginx-tmp"
servers=""
for url in "${urls[@]}"; do servers+="        server ${url#http://} max_fails=1 fail_timeout=5s;"$'\n'; done
user_line=""; [ "$(id -u)" -eq 0 ] && user_line="user root;"
sed -e "s#@@WORKDIR@@#$workdir#g" -e "s#@@PORT@@#$lb_port#g" -e "s#@@USER@@#$user_line#" \
    "$repo/deploy/nginx-konnectlive.conf.template" | awk -v servers="$servers" '{ if ($0 ~ /@@SERVERS@@/) printf "%s", servers; else print }' \
    >"$workdir/nginx.conf"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
"$nginx_bin" -t -q -c "$workdir/nginx.conf" -p "$workdir" 2>"$workdir/nginx-test.log" || { cat "$workdir/nginx-test.log" >&2; exit 1; }
"$nginx_bin" -c "$workdir/nginx.conf" -p "$workdir" -g 'daemon off;' 2>>"$workdir/nginx-error.log" &
nginx_pid=$!
lb="http://127.0.0.1:$lb_port"
for _ in $(seq 1 100); do ready "$lb" && break; sleep 0.1; done
ready "$lb" || { say "nginx did not answer"; cat "$workdir/nginx-error.log" >&2; exit 1; }

echo "load balancer: $lb"
for i in $(seq 1 "$instances"); do echo "instance $i: ${urls[$((i-1))]} (pid ${pids[$((i-1))]}, log $workdir/instance-$i.log)"; done
echo "redis: 127.0.0.1:$redis_port"
echo "database: ${db_args[*]}"
echo "workdir: $workdir"
echo "Press Ctrl-C to stop everything."

# Wait until told to stop (an instance may be restarted from its launcher meanwhile, so don't wait on them).
while true; do sleep 1 & wait $!; done
