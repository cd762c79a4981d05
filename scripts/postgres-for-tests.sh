#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: initdb into a new temp folder, start it on 127.0.0.1
# (port $PGPORT_FOR_TESTS, default 55432 or a free one when that is taken, trust authentication for the local user `fleetwave`), and
# print the shell lines that point the tests at it:
#
#   eval "$(scripts/postgres-for-tests.sh)"     # then: npm test -- test/store
#
# Stop it with: pg_ctl -D "$FLEETWAVE_TEST_POSTGRES_DIR/data" stop (the folder can then be removed).
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` user (Debian's package
# creates it), else as the current user. Finds initdb and pg_ctl on PATH or in /usr/lib/postgresql/*/bin.
# Everything but the final `export` lines goes to stderr; exits non-zero, saying why, when it cannot start.
set -euo pipefail

port="${PGPORT_FOR_TESTS:-55432}"
# Another server on that port (a developer's own, a second checkout's tests): take a free one instead,
# unless the port was asked for.
if [ -z "${PGPORT_FOR_TESTS:-}" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  echo "postgres-for-tests: port 55432 is taken; using $port" >&2
fi
bindir=""
if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
  bindir="$(dirname "$(command -v initdb)")"
else
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir="$d"; done
fi
[ -n "$bindir" ] || { echo "postgres-for-tests: no initdb found (apt-get install -y postgresql)" >&2; exit 1; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/fleetwave-pg-XXXXXX")"
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { echo "postgres-for-tests: running as root and there is no 'postgres' user to run the server as" >&2; exit 1; }
  chown postgres "$dir"
  run_as=(su postgres -s /bin/sh -c)
fi
as_server_user() {
  if [ ${#run_as[@]} -gt 0 ]; then "${run_as[@]}" "$*"; else sh -c "$*"; fi
}

as_server_user "'$bindir/initdb' -D '$dir/data' -U fleetwave --auth=trust -E UTF8 --no-sync" >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; echo "postgres-for-tests: initdb failed (log above)" >&2; exit 1; }
as_server_user "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off\" start" >&2 ||
  { cat "$dir/server.log" >&2 || true; echo "postgres-for-tests: the server did not start on port $port (log above)" >&2; exit 1; }

echo "export FLEETWAVE_TEST_POSTGRES_URL=postgresql://fleetwave@127.0.0.1:$port/postgres"
echo "export FLEETWAVE_TEST_POSTGRES_DIR=$dir"
