#!/usr/bin/env bash
# A throwaway Redis server for the tests of the request budget's Redis ledger: started on 127.0.0.1
# (port $REDIS_PORT_FOR_TESTS, default 56379 or a free one when that is taken), nothing saved to disk,
# and the shell lines that point the tests at it printed:
#
#   eval "$(scripts/redis-for-tests.sh)"     # then: npm test -- test/store/budget-ledger.test.ts
#
# Stop it with: kill "$(cat "$FLEETWAVE_TEST_REDIS_DIR/redis.pid")" (the folder can then be removed).
# Needs redis-server (Debian: apt-get install -y redis-server). Everything but the final `export` lines
# goes to stderr; exits non-zero, saying why, when it cannot start.
set -euo pipefail

port="${REDIS_PORT_FOR_TESTS:-56379}"
if [ -z "${REDIS_PORT_FOR_TESTS:-}" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  echo "redis-for-tests: port 56379 is taken; using $port" >&2
fi
command -v redis-server >/dev/null 2>&1 || { echo "redis-for-tests: no redis-server found (apt-get install -y redis-server)" >&2; exit 1; }
dir="$(mktemp -d "${TMPDIR:-/tmp}/fleetwave-redis-XXXXXX")"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >&2 ||
  { cat "$dir/redis.log" >&2 || true; echo "redis-for-tests: redis-server did not start on port $port" >&2; exit 1; }
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { cat "$dir/redis.log" >&2; echo "redis-for-tests: nothing listens on $port" >&2; exit 1; }

echo "export FLEETWAVE_TEST_REDIS_URL=redis://127.0.0.1:$port"
echo "export FLEETWAVE_TEST_REDIS_DIR=$dir"
