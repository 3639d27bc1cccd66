#!/usr/bin/env bash
# Feed-state figures through real running edges (Release build): latency p50/p99 for one client and
# throughput at 16 clients, for a 20-id page, with Edge:ReadSource=redis and the PostgreSQL-only
# baseline (Edge:ReadSource=postgres) measured in the same run. Prints figures; asserts nothing.
#
# Needs the local servers (./likes servers-up), wrk, psql, redis-cli, python3. Uses its own database
# (likes_edge_figures) and Redis key prefix (ef:), and its own ports (18080, 18081), so a running dev
# stack is untouched; removes its data and stops its edges at the end.
#
#   tests/Likes.Edge.Tests/Figures/feed-state-figures.sh            # 15 s per measurement
#   DURATION=30s tests/Likes.Edge.Tests/Figures/feed-state-figures.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)"
HERE="$ROOT/tests/Likes.Edge.Tests/Figures"
DB=likes_edge_figures
PREFIX=ef:
USERS=${USERS:-1000}
LIKES_PER_USER=20
CONTENTS=${CONTENTS:-5000}
DURATION=${DURATION:-15s}
KEY=likes-local-development-key-0123456789abcdef
WORK="$(mktemp -d)"
export PGPASSWORD=likes
PIDS=()

cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    redis-cli -h 127.0.0.1 --scan --pattern "${PREFIX}*" | xargs -r -n 500 redis-cli -h 127.0.0.1 DEL >/dev/null
    psql -h 127.0.0.1 -U likes -d likes -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build (Release)"
dotnet build -c Release "$ROOT/edge" -nologo -v q >/dev/null
dotnet build -c Release "$ROOT/admin" -nologo -v q >/dev/null

echo "== seed: $USERS users x $LIKES_PER_USER likes over $CONTENTS contents"
psql -h 127.0.0.1 -U likes -d likes -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
PG="Host=127.0.0.1;Port=5432;Database=$DB;Username=likes;Password=likes"
LIKES_POSTGRES="$PG" dotnet "$ROOT/artifacts/bin/Likes.Admin/release/Likes.Admin.dll" migrate >/dev/null
psql -h 127.0.0.1 -U likes -d "$DB" -q <<SQL
INSERT INTO likes (user_id, content_id, created_at)
SELECT u, ((u * 7 + k * 131) % $CONTENTS) + 1, to_timestamp((1764000000000 + u * 1000 + k) / 1000.0)
FROM generate_series(1, $USERS) u, generate_series(0, $LIKES_PER_USER - 1) k;
INSERT INTO content_like_counts (content_id, like_count, version)
SELECT content_id, count(*), 1 FROM likes GROUP BY content_id;
ANALYZE likes;
ANALYZE content_like_counts;
SQL
# Redis as the workers leave it: every counter "count:version", every timeline complete (sentinel -1).
psql -h 127.0.0.1 -U likes -d "$DB" -At -c "SELECT format('HSET ${PREFIX}counts:%s %s %s:%s', content_id / 100, content_id % 100, like_count, version) FROM content_like_counts" >"$WORK/redis.txt"
psql -h 127.0.0.1 -U likes -d "$DB" -At -c "
  SELECT format('ZADD ${PREFIX}t{%s} -1 0 %s', user_id,
         string_agg(((extract(epoch FROM created_at) * 1000)::bigint)::text || ' ' || content_id, ' '))
  FROM likes GROUP BY user_id" >>"$WORK/redis.txt"
redis-cli -h 127.0.0.1 <"$WORK/redis.txt" >/dev/null
python3 - "$USERS" "$KEY" >"$WORK/tokens.txt" <<'PY'
import base64, hashlib, hmac, json, sys, time
users, key = int(sys.argv[1]), sys.argv[2].encode()
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
for u in range(1, users + 1):
    body = b64(json.dumps({"sub": str(u), "exp": int(time.time()) + 3600}).encode())
    sig = b64(hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest())
    print(f"{head}.{body}.{sig}")
PY

start_edge() { # port read-source
    ASPNETCORE_ENVIRONMENT=Development LIKES_JWT_KEY="$KEY" LIKES_POSTGRES="$PG" LIKES_REDIS_KEY_PREFIX="$PREFIX" \
    Edge__ReadSource="$2" Edge__FallbackConcurrency=32 Logging__LogLevel__Default=Warning \
        dotnet "$ROOT/artifacts/bin/Likes.Edge/release/Likes.Edge.dll" \
        --contentRoot "$ROOT/artifacts/bin/Likes.Edge/release" --urls "http://127.0.0.1:$1" >"$WORK/edge-$1.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 100); do
        curl -fs -o /dev/null "http://127.0.0.1:$1/healthz/live" && return 0
        sleep 0.1
    done
    echo "edge on $1 did not start" >&2; cat "$WORK/edge-$1.log" >&2; return 1
}
start_edge 18080 redis
start_edge 18081 postgres

export FIGURES_TOKENS="$WORK/tokens.txt" FIGURES_CONTENTS="$CONTENTS"
measure() { # label port threads connections
    echo "== $1: $4 client(s), $DURATION"
    wrk -t"$3" -c"$4" -d"$DURATION" --latency -s "$HERE/feed-state.lua" "http://127.0.0.1:$2" \
        | grep -E "Latency Distribution|^ +(50|99)%|Requests/sec|non-2xx|Socket errors"
}
degraded() { curl -s "http://127.0.0.1:$1/metrics" | grep -E '^likes_edge_(degraded_reads_total|fallback_queries_total)' | tr '\n' ' '; echo; }

# Warm both (JIT, connection pools, ghosts), then measure each in turn while the other idles.
wrk -t1 -c4 -d5s -s "$HERE/feed-state.lua" http://127.0.0.1:18080 >/dev/null
wrk -t1 -c4 -d5s -s "$HERE/feed-state.lua" http://127.0.0.1:18081 >/dev/null
measure "redis    (Edge:ReadSource=redis)" 18080 1 1
measure "postgres (Edge:ReadSource=postgres)" 18081 1 1
measure "redis    (Edge:ReadSource=redis)" 18080 2 16
measure "postgres (Edge:ReadSource=postgres)" 18081 2 16
echo "== read-path counters after the run"
echo "redis edge:    $(degraded 18080)"
echo "postgres edge: $(degraded 18081)"
