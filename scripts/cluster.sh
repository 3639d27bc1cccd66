# shellcheck shell=bash
# The production topology on one machine (`./likes up --cluster`): three nats-server nodes with R3 streams, a
# Redis Cluster of three masters and three replicas, PostgreSQL with a synchronous streaming standby. Sourced
# by servers.sh; servers_up/down/status and the fleet turn to these functions when LIKES_CLUSTER is on.
# Runtime state lives in .local/cluster/ (LIKES_LOCAL_DIR), apart from the single-node stack:
#
#   .local/cluster/nats/n<i>/        each NATS node's JetStream store     (pid: run/nats-<i>.pid)
#   .local/cluster/redis/<port>/     each Redis node's config, nodes.conf (pid: run/redis-<port>.pid)
#   .local/cluster/pg, pg-standby    the primary and the standby's data   (pid: run/postgres.pid, postgres-standby.pid)
#
# Ports (127.0.0.1; each a space-separated list, so the fault suite can place a cluster elsewhere):
#   LIKES_NATS_PORTS          4231 4232 4233   clients
#   LIKES_NATS_MONITOR_PORTS  8231 8232 8233   monitoring
#   LIKES_NATS_ROUTE_PORTS    6231 6232 6233   routes between the nodes
#   LIKES_REDIS_PORTS         7001 … 7006      clients (cluster bus: port + 10000); three masters, three replicas
#   LIKES_PG_PORT             5442             the primary as started (after a failover, either may be the primary)
#   LIKES_PG_STANDBY_PORT     5443             the standby as started
#   LIKES_REDIS_NODE_TIMEOUT  5000             ms before a silent master is failed over to its replica

# Turns the cluster on for this shell: its own folder, ports and stream replication, the single-node variables
# the rest of the scripts read pointed at the cluster's first node. Streams are R3 (scripts/fleet.sh).
cluster_mode_on() {
    export LIKES_CLUSTER=on
    export LIKES_LOCAL_DIR="${LIKES_CLUSTER_LOCAL_DIR:-.local/cluster}"
    export LIKES_NATS_PORTS="${LIKES_NATS_PORTS:-4231 4232 4233}"
    export LIKES_NATS_MONITOR_PORTS="${LIKES_NATS_MONITOR_PORTS:-8231 8232 8233}"
    export LIKES_NATS_ROUTE_PORTS="${LIKES_NATS_ROUTE_PORTS:-6231 6232 6233}"
    export LIKES_REDIS_PORTS="${LIKES_REDIS_PORTS:-7001 7002 7003 7004 7005 7006}"
    export LIKES_PG_PORT="${LIKES_CLUSTER_PG_PORT:-5442}"
    export LIKES_PG_STANDBY_PORT="${LIKES_PG_STANDBY_PORT:-5443}"
    local first
    read -r first _ <<<"$LIKES_NATS_PORTS"; export LIKES_NATS_PORT="$first"
    read -r first _ <<<"$LIKES_NATS_MONITOR_PORTS"; export LIKES_NATS_MONITOR_PORT="$first"
    read -r first _ <<<"$LIKES_REDIS_PORTS"; export LIKES_REDIS_PORT="$first"
}

cluster_enabled() { [[ "${LIKES_CLUSTER:-off}" == on ]]; }

# The i-th word (from 1) of a list.
_nth() { local -a words; read -r -a words <<<"$2"; printf '%s\n' "${words[$(($1 - 1))]}"; }

# What clients are given, single node or cluster: in the cluster every node, so that with one of them down the
# others take the connection. client_nats_urls [user:password] puts the credentials in each URL.
client_nats_urls() {
    local userinfo="${1:-}" port urls=()
    for port in ${LIKES_NATS_PORTS:-${LIKES_NATS_PORT:-4222}}; do urls+=("nats://${userinfo:+$userinfo@}127.0.0.1:$port"); done
    (IFS=,; printf '%s\n' "${urls[*]}")
}

client_redis_endpoints() {
    local port eps=()
    for port in ${LIKES_REDIS_PORTS:-${LIKES_REDIS_PORT:-6379}}; do eps+=("127.0.0.1:$port"); done
    (IFS=,; printf '%s\n' "${eps[*]}")
}

# In the cluster both servers: Npgsql connects to whichever is the primary now, so a promoted standby needs no change.
client_postgres() {
    if cluster_enabled; then
        printf 'Host=127.0.0.1:%s,127.0.0.1:%s;Target Session Attributes=primary;Database=likes;Username=likes;Password=likes\n' \
            "$LIKES_PG_PORT" "$LIKES_PG_STANDBY_PORT"
    else
        printf 'Host=127.0.0.1;Port=%s;Database=likes;Username=likes;Password=likes\n' "${LIKES_PG_PORT:-5432}"
    fi
}

# ------------------------------------------------------------------ nats ----

_nats_node_healthy() {
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$(_nth "$1" "$LIKES_NATS_MONITOR_PORTS")/healthz" 2>/dev/null
}

_nats_cluster_healthy() { _nats_node_healthy 1 && _nats_node_healthy 2 && _nats_node_healthy 3; }

# One node: routes to all three (a node ignores its own), a name of its own, a store of its own.
nats_node_start() {
    local i="$1" l log pidf port mon route routes=() r auth=()
    l="$(_local_dir)"; log="$(_log_file "nats-$i")"; pidf="$(_pid_file "nats-$i")"
    port="$(_nth "$i" "$LIKES_NATS_PORTS")"; mon="$(_nth "$i" "$LIKES_NATS_MONITOR_PORTS")"
    route="$(_nth "$i" "$LIKES_NATS_ROUTE_PORTS")"
    if pid_alive "$pidf"; then return 0; fi
    for r in $LIKES_NATS_ROUTE_PORTS; do routes+=("nats://127.0.0.1:$r"); done
    if credentials_enabled; then auth=(-c "$l/nats/auth.conf"); fi
    mkdir -p "$l/nats/n$i"
    rm -f "$pidf"
    nohup setsid "$(nats_server_bin)" "${auth[@]}" -a 127.0.0.1 -p "$port" -m "$mon" \
        -js -sd "$l/nats/n$i" --server_name "likes-n$i" --cluster_name likes \
        --cluster "nats://127.0.0.1:$route" --routes "$(IFS=,; echo "${routes[*]}")" -P "$pidf" \
        >>"$log" 2>&1 </dev/null &
}

nats_cluster_start() {
    if _nats_cluster_healthy; then
        _say nats "3 nodes ready on 127.0.0.1:${LIKES_NATS_PORTS// /,} (already running)"
        return 0
    fi
    _ensure_layout || return 1
    if credentials_enabled; then
        credentials_server_config nats-config "$(_local_dir)/nats/auth.conf" || return 1
    fi
    local i
    for i in 1 2 3; do nats_node_start "$i"; done
    for i in 1 2 3; do
        wait_for "NATS node $i" 30 _nats_node_healthy "$i" || { _tail_log "$(_log_file "nats-$i")"; return 1; }
    done
    # JetStream answers once the nodes elected a meta leader: wait for it, so that provisioning finds one.
    wait_for "a JetStream meta leader" 30 _nats_meta_leader || { _tail_log "$(_log_file nats-1)"; return 1; }
    _say nats "3 nodes ready on 127.0.0.1:${LIKES_NATS_PORTS// /,} (routes :${LIKES_NATS_ROUTE_PORTS// /,}, JetStream)"
}

_nats_meta_leader() {
    curl -fsS --max-time 1 "http://127.0.0.1:$(_nth 1 "$LIKES_NATS_MONITOR_PORTS")/jsz" 2>/dev/null | grep -q '"leader": *"likes-n'
}

nats_cluster_stop() {
    local i pidf
    for i in 1 2 3; do
        pidf="$(_pid_file "nats-$i")"
        if pid_alive "$pidf"; then _stop_pid "$(_pid_of "$pidf")" 10; fi
        rm -f "$pidf"
    done
    _say nats "stopped"
}

# ----------------------------------------------------------------- redis ----

# redis-cli as the admin against one node (port), the password through the environment.
_redis_node_cli() {
    local port="$1" password
    shift
    password="$(credential LIKES_ADMIN_REDIS_PASSWORD)"
    if [[ -n "$password" ]] && credentials_enabled; then
        REDISCLI_AUTH="$password" redis-cli --no-auth-warning --user likes_admin -h 127.0.0.1 -p "$port" "$@" </dev/null
    else
        redis-cli -h 127.0.0.1 -p "$port" "$@" </dev/null
    fi
}

_redis_node_up() { [[ "$(_redis_node_cli "$1" ping 2>/dev/null)" == PONG ]]; }

_redis_cluster_ok() {
    local port
    for port in $LIKES_REDIS_PORTS; do
        _redis_node_cli "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
    done
}

# Every replica copies its master: the replication user logs in (masteruser/masterauth) and the link is up.
_redis_replicas_linked() {
    local port linked=0
    for port in $LIKES_REDIS_PORTS; do
        if _redis_node_cli "$port" info replication 2>/dev/null | grep -q '^master_link_status:up'; then
            linked=$((linked + 1))
        fi
    done
    ((linked == 3))
}

# One node's configuration, a secret (the replication password): the one file the node reads.
_redis_node_conf() {
    local port="$1" dir="$2" l
    l="$(_local_dir)"
    umask 077
    cat >"$dir/redis.conf" <<EOF
# Managed by scripts/cluster.sh -- rewritten on every start.
bind 127.0.0.1
port $port
protected-mode yes
dir $dir
save ""
appendonly no
cluster-enabled yes
cluster-config-file nodes.conf
cluster-node-timeout ${LIKES_REDIS_NODE_TIMEOUT:-5000}
maxmemory ${LIKES_REDIS_MAXMEMORY:-512mb}
maxmemory-policy ${LIKES_REDIS_EVICTION:-allkeys-lru}
zset-max-listpack-entries ${LIKES_REDIS_ZSET_LISTPACK_ENTRIES:-$((${LIKES_TIMELINE_SIZE:-1000} + 2))}
zset-max-listpack-value 64
pidfile $(_pid_file "redis-$port")
logfile $(_log_file "redis-$port")
daemonize yes
EOF
    if credentials_enabled; then
        cat >>"$dir/redis.conf" <<EOF
aclfile $l/redis/users.acl
masteruser likes_replication
masterauth "$(credential LIKES_REPLICATION_REDIS_PASSWORD)"
EOF
    fi
}

redis_cluster_start() {
    if _redis_cluster_ok; then
        _say redis "cluster ready on 127.0.0.1:${LIKES_REDIS_PORTS// /,} (already running)"
        return 0
    fi
    _ensure_layout || return 1
    local l port dir nodes=()
    l="$(_local_dir)"
    if credentials_enabled; then
        credentials_server_config redis-acl "$l/redis/users.acl" || return 1
    fi
    for port in $LIKES_REDIS_PORTS; do
        nodes+=("127.0.0.1:$port")
        _redis_node_up "$port" && continue
        dir="$l/redis/$port"
        mkdir -p "$dir"
        (_redis_node_conf "$port" "$dir")
        redis-server "$dir/redis.conf" </dev/null || { _err "redis-server :$port failed to start"; _tail_log "$(_log_file "redis-$port")"; return 1; }
    done
    for port in $LIKES_REDIS_PORTS; do
        wait_for "redis :$port" 15 _redis_node_up "$port" || { _tail_log "$(_log_file "redis-$port")"; return 1; }
    done
    # A node that kept its nodes.conf rejoins by itself; fresh nodes are made a cluster once.
    if [[ "$(_redis_node_cli "$(_nth 1 "$LIKES_REDIS_PORTS")" cluster info | tr -d '\r' | awk -F: '/^cluster_known_nodes/ {print $2}')" == 1 ]]; then
        local password
        password="$(credential LIKES_ADMIN_REDIS_PASSWORD)"
        REDISCLI_AUTH="$password" redis-cli --no-auth-warning ${password:+--user likes_admin} \
            --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >>"$(_log_file redis-cluster)" 2>&1 </dev/null || {
            _err "redis-cli --cluster create failed"; _tail_log "$(_log_file redis-cluster)"; return 1
        }
    fi
    wait_for "the Redis Cluster (cluster_state:ok on every node)" 60 _redis_cluster_ok || return 1
    wait_for "every Redis replica linked to its master" 60 _redis_replicas_linked || return 1
    _say redis "cluster ready on 127.0.0.1:${LIKES_REDIS_PORTS// /,} (3 masters, 3 replicas)"
}

redis_cluster_stop() {
    local port pidf pid
    for port in $LIKES_REDIS_PORTS; do
        pidf="$(_pid_file "redis-$port")"
        if pid_alive "$pidf"; then
            read -r pid <"$pidf"
            _redis_node_cli "$port" shutdown nosave >/dev/null 2>&1 || true
            local deadline=$((SECONDS + 5))
            while _proc_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
            if _proc_alive "$pid"; then _stop_pid "$pid" 10; fi
        fi
        rm -f "$pidf"
    done
    _say redis "stopped"
}

# -------------------------------------------------------------- postgres ----

_pg_standby_dir() { printf '%s/pg-standby\n' "$(_local_dir)"; }

_pg_standby_ready() {
    "$LIKES_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$LIKES_PG_STANDBY_PORT" -t 1 </dev/null
}

# The standby: a base backup of the primary that follows its WAL (-R), named so the primary waits for it on commit.
pg_standby_start() {
    local d log pidf sock
    d="$(_pg_standby_dir)"; log="$(_log_file postgres-standby)"; pidf="$(_pid_file postgres-standby)"
    sock="$(_pg_socket_dir)"
    if ! _pg_standby_ready; then
        touch "$log"
        if ((EUID == 0)); then chown postgres: "$log"; fi
        if [[ ! -f "$d/PG_VERSION" ]]; then
            mkdir -p "$d"
            if ((EUID == 0)); then chown postgres: "$d"; fi
            chmod 0700 "$d"
            _as_pg "$LIKES_PG_BIN/pg_basebackup" -D "$d" -R -X stream -c fast \
                -d "host=$sock port=$LIKES_PG_PORT user=postgres application_name=likes_standby" >>"$log" 2>&1 || {
                _err "pg_basebackup from the primary failed"; _tail_log "$log"; return 1
            }
        fi
        # Where the primary is comes from likes.conf, rewritten on every start; -R's copy would win over it.
        _as_pg sed -i '/^primary_conninfo/d' "$d/postgresql.auto.conf"
        _pg_write_conf "$d" "$LIKES_PG_STANDBY_PORT" "$sock" standby || return 1
        if ! _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$d" -l "$log" -w -t 30 start >/dev/null 2>>"$log" </dev/null; then
            _err "the PostgreSQL standby failed to start"; _tail_log "$log"; return 1
        fi
        wait_for "PostgreSQL standby on 127.0.0.1:$LIKES_PG_STANDBY_PORT" 15 _pg_standby_ready || { _tail_log "$log"; return 1; }
    fi
    head -n 1 "$d/postmaster.pid" >"$pidf"
    wait_for "the standby streaming synchronously" 30 _pg_standby_sync || return 1
    _say postgres "standby on 127.0.0.1:$LIKES_PG_STANDBY_PORT (streaming, synchronous)"
}

_pg_standby_sync() {
    [[ "$(_pg_psql -d postgres -tAc "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'likes_standby'")" == sync ]]
}

pg_standby_stop() {
    local d
    d="$(_pg_standby_dir)"
    rm -f "$(_pid_file postgres-standby)"
    [[ -f "$d/PG_VERSION" ]] && _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$d" status >/dev/null 2>&1 || return 0
    _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$d" -m fast -w -t 30 stop >/dev/null </dev/null || { _err "pg_ctl stop (standby) failed"; return 1; }
}

# ----------------------------------------------------------------- all ----

cluster_servers_up() {
    redis_cluster_start || return 1
    nats_cluster_start || return 1
    pg_start || return 1
    pg_standby_start || return 1
}

cluster_servers_running() {
    _redis_cluster_ok && _nats_cluster_healthy && _pg_ready && _pg_standby_ready
}

cluster_servers_down() {
    local rc=0
    redis_cluster_stop || rc=1
    nats_cluster_stop || rc=1
    # The standby first: a synchronous primary stopping with its standby gone still stops (fast mode).
    pg_standby_stop || rc=1
    pg_stop || rc=1
    return "$rc"
}

cluster_servers_status() {
    local i port ready
    for i in 1 2 3; do
        if _nats_node_healthy "$i"; then ready=ready; else ready=not-ready; fi
        printf '%-11s %-8s %-6s %s\n' "nats-$i" "$(_pid_of "$(_pid_file "nats-$i")")" "$(_nth "$i" "$LIKES_NATS_PORTS")" "$ready"
    done
    for port in $LIKES_REDIS_PORTS; do
        ready=not-ready
        _redis_node_cli "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && ready=ready
        printf '%-11s %-8s %-6s %s\n' "redis-$port" "$(_pid_of "$(_pid_file "redis-$port")")" "$port" "$ready"
    done
    if _pg_ready; then ready=ready; else ready=not-ready; fi
    printf '%-11s %-8s %-6s %s\n' postgres "$(_pid_of "$(_pid_file postgres)")" "$LIKES_PG_PORT" "$ready"
    if _pg_standby_ready; then ready=ready; else ready=not-ready; fi
    printf '%-11s %-8s %-6s %s\n' pg-standby "$(_pid_of "$(_pid_file postgres-standby)")" "$LIKES_PG_STANDBY_PORT" "$ready"
}

# A caller that set LIKES_CLUSTER=on (the fault suite's cluster stack) gets the cluster's layout with the scripts.
if cluster_enabled; then cluster_mode_on; fi
