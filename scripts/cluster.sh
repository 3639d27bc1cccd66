# shellcheck shell=bash
# The production topology on one machine (`./likes up --cluster`): three nats-server nodes with R3 streams, a
# Redis Cluster of three masters and three replicas, PostgreSQL with a synchronous streaming standby. Sourced
# by servers.sh; servers_up/down/status and the fleet turn to these functions when LIKES_CLUSTER is on.
# Runtime state lives in .local/cluster/ (LIKES_LOCAL_DIR), apart from the single-node stack:
#
#   .local/cluster/nats/n<i>/        each NATS node's JetStream store     (pid: run/nats-<i>.pid)
#   .local/cluster/redis/<port>/     each Redis node's config, nodes.conf (pid: run/redis-<port>.pid)
#   .local/cluster/pg, pg-standby    PostgreSQL node 1 and 2's data     (pid: run/postgres.pid, postgres-standby.pid)
#   .local/cluster/pg-primary        which node is the primary (1 until ./likes pg-promote --cluster; scripts below)
#
# Ports (127.0.0.1; each a space-separated list, so the fault suite can place a cluster elsewhere):
#   LIKES_NATS_PORTS          4231 4232 4233   clients
#   LIKES_NATS_MONITOR_PORTS  8231 8232 8233   monitoring
#   LIKES_NATS_ROUTE_PORTS    6231 6232 6233   routes between the nodes
#   LIKES_REDIS_PORTS         7001 … 7006      clients (cluster bus: port + 10000); three masters, three replicas
#   LIKES_PG_PORT             5442             the primary as started (after a failover, either may be the primary)
#   LIKES_PG_STANDBY_PORT     5443             the standby as started
#   LIKES_REDIS_NODE_TIMEOUT  5000             ms before a silent master is failed over to its replica
#   LIKES_NATS_NODE_GID_BASE  64230            as root, NATS node i runs with group base + i (nats_node_cut)
#   LIKES_NATS_START_TIMEOUT  120              s a node may take to be healthy (a restart replays its store)
#   LIKES_NATS_META_WAIT      20               s before a node the meta leader does not hear is restarted (once)

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
            "$(_pg_node_port 1)" "$(_pg_node_port 2)"
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
    local i="$1" l log pidf port mon route routes=() r auth=() group=()
    l="$(_local_dir)"; log="$(_log_file "nats-$i")"; pidf="$(_pid_file "nats-$i")"
    port="$(_nth "$i" "$LIKES_NATS_PORTS")"; mon="$(_nth "$i" "$LIKES_NATS_MONITOR_PORTS")"
    route="$(_nth "$i" "$LIKES_NATS_ROUTE_PORTS")"
    if pid_alive "$pidf"; then return 0; fi
    for r in $LIKES_NATS_ROUTE_PORTS; do routes+=("nats://127.0.0.1:$r"); done
    if credentials_enabled; then auth=(-c "$l/nats/auth.conf"); fi
    # As root, each node runs with a group of its own: nats_node_cut finds the connections it dials by it.
    if ((EUID == 0)); then group=(setpriv --regid "$(_nats_node_gid "$i")" --clear-groups); fi
    mkdir -p "$l/nats/n$i"
    rm -f "$pidf"
    nohup setsid "${group[@]}" "$(nats_server_bin)" "${auth[@]}" -a 127.0.0.1 -p "$port" -m "$mon" \
        -js -sd "$l/nats/n$i" --server_name "likes-n$i" --cluster_name likes \
        --cluster "nats://127.0.0.1:$route" --routes "$(IFS=,; echo "${routes[*]}")" -P "$pidf" \
        >>"$log" 2>&1 </dev/null &
}

# The group node <i> runs with (LIKES_NATS_NODE_GID_BASE + i): no file of the store depends on it, it only names
# the node's packets for iptables' owner match.
_nats_node_gid() { printf '%s\n' "$((${LIKES_NATS_NODE_GID_BASE:-64230} + $1))"; }

# The iptables rules that cut node <i> off from the other two on the cluster's routes: the others' packets to its
# route port, its answers from it, and what it dials to theirs. Clients and monitoring stay reachable.
_nats_cut_rules() {
    local i="$1" j route
    route="$(_nth "$i" "$LIKES_NATS_ROUTE_PORTS")"
    printf '%s\n' "-p tcp --dport $route -j DROP" "-p tcp --sport $route -j DROP"
    for j in 1 2 3; do
        ((j == i)) && continue
        printf '%s\n' "-p tcp -m owner --gid-owner $(_nats_node_gid "$i") --dport $(_nth "$j" "$LIKES_NATS_ROUTE_PORTS") -j DROP"
    done
}

# A network partition: node <i> alone on one side, the other two (a quorum of every R3 stream) on the other.
# Needs root (iptables, in a network namespace of one's own); nats_uncut removes it.
nats_node_cut() {
    local rule
    while read -r rule; do
        # shellcheck disable=SC2086 # a rule is words
        iptables -A OUTPUT $rule || return 1
    done < <(_nats_cut_rules "$1")
    _say nats "likes-n$1 cut off from the other nodes (route port $(_nth "$1" "$LIKES_NATS_ROUTE_PORTS") dropped)"
}

# Every rule nats_node_cut may have added, for any node, removed: safe to run when none is there.
nats_uncut() {
    local i rule
    for i in 1 2 3; do
        while read -r rule; do
            # shellcheck disable=SC2086 # a rule is words
            while iptables -D OUTPUT $rule 2>/dev/null; do :; done
        done < <(_nats_cut_rules "$i")
    done
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
        wait_for "NATS node $i" "${LIKES_NATS_START_TIMEOUT:-120}" _nats_node_healthy "$i" || { _tail_log "$(_log_file "nats-$i")"; return 1; }
    done
    nats_meta_settle || return 1
    _say nats "3 nodes ready on 127.0.0.1:${LIKES_NATS_PORTS// /,} (routes :${LIKES_NATS_ROUTE_PORTS// /,}, JetStream)"
}

# JetStream answers once the nodes elected a meta leader that hears both other nodes: wait for it, so that
# provisioning can place R3 streams. A node the leader still does not hear after LIKES_NATS_META_WAIT s is
# restarted, once: nats-server 2.10 now and then leaves a live node out of the meta group at a cold boot, for good,
# and only a restart brings it in (docs/reliability.md, "the cluster runs' findings").
nats_meta_settle() {
    local wait="${LIKES_NATS_META_WAIT:-20}" unheard name i
    wait_for "a JetStream meta leader that hears both other nodes" "$wait" _nats_meta_peers_live 2>/dev/null && return 0
    if unheard="$(_nats_meta_unheard)"; then
        for name in $unheard; do
            i="${name#likes-n}"
            _say nats "$name not heard by the meta leader after ${wait}s: restarting it"
            _stop_pid "$(_pid_of "$(_pid_file "nats-$i")")" 10
            nats_node_start "$i"
        done
    fi
    wait_for "a JetStream meta leader that hears both other nodes" 30 _nats_meta_peers_live && return 0
    _nats_meta_describe
    for i in 1 2 3; do _tail_log "$(_log_file "nats-$i")"; done
    return 1
}

_nats_node_names() { printf 'likes-n1 likes-n2 likes-n3\n'; }

# The nodes the meta leader has not heard from lately (see nats_meta_unheard), one per line; fails when no node is
# the leader.
_nats_meta_unheard() {
    local i jsz
    for i in 1 2 3; do
        jsz="$(curl -fsS --max-time 2 "http://127.0.0.1:$(_nth "$i" "$LIKES_NATS_MONITOR_PORTS")/jsz" 2>/dev/null)" || continue
        # shellcheck disable=SC2046 # the names are words
        printf '%s\n' "$jsz" | nats_meta_unheard "likes-n$i" $(_nats_node_names) && return 0
    done
    return 1
}

# Ready when some node is a meta leader that hears both others: a stream's R3 placement needs that. Not "current":
# that also needs the peer's log at the leader's applied index, and a follower still catching up must not fail a
# start that provisioning would get through.
_nats_meta_peers_live() {
    local unheard
    unheard="$(_nats_meta_unheard)" && [[ -z "$unheard" ]]
}

# Reads node <self>'s /jsz (the other arguments: every node's name). When <self> is the meta leader (only the leader
# lists replicas), prints each other node it has not heard from lately (not listed, offline, unknown by name, or
# silent over 5 s; a heartbeat is 1 s) and succeeds; fails when <self> is not the leader.
nats_meta_unheard() {
    local self="$1"
    shift
    awk -v self="$self" -v nodes="$*" '
        /"meta_cluster":/ { meta = 1 }
        meta && !leader && /"leader":/ { leader = $2; gsub(/[",]/, "", leader) }
        meta && /"replicas": \[/ { listed = 1; next }
        listed && /^ *\]/ { listed = 0 }
        listed && /"name":/ { name = $2; gsub(/[",]/, "", name); live[name] = 1 }
        listed && /"offline": *true/ { live[name] = 0 }
        listed && /"active":/ { gsub(/[^0-9]/, "", $2); if ($2 + 0 > 5000000000) live[name] = 0 }
        END {
            if (leader != self) exit 1
            n = split(nodes, all, " ")
            for (i = 1; i <= n; i++) if (all[i] != self && !live[all[i]]) print all[i]
        }'
}

# Each node's view of the meta group, for a start that timed out.
_nats_meta_describe() {
    local mon
    for mon in $LIKES_NATS_MONITOR_PORTS; do
        printf -- '---- meta group as the node with monitor port %s sees it ----\n' "$mon" >&2
        curl -fsS --max-time 2 "http://127.0.0.1:$mon/jsz" 2>&1 | sed -n '/"meta_cluster"/,/^  }/p' >&2
    done
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

# Two nodes, either of which may be the primary: 1 (data pg/, LIKES_PG_PORT as started, pid and log "postgres") and
# 2 (pg-standby/, LIKES_PG_STANDBY_PORT, "postgres-standby"). pg_promote records which one is primary in pg-primary.
_pg_node_port() { if (($1 == 1)); then printf '%s\n' "${LIKES_CLUSTER_PG_PORT:-5442}"; else printf '%s\n' "$LIKES_PG_STANDBY_PORT"; fi; }
_pg_node_name() { if (($1 == 1)); then echo postgres; else echo postgres-standby; fi; }
_pg_node_dir() { if (($1 == 1)); then printf '%s/pg\n' "$(_local_dir)"; else printf '%s/pg-standby\n' "$(_local_dir)"; fi; }

# Runs a PostgreSQL function of servers.sh (pg_start, pg_stop, _pg_ready, _pg_psql …) against node <i>.
_pg_on() {
    local i="$1"
    shift
    (
        LIKES_PG_PORT="$(_pg_node_port "$i")" LIKES_PG_DATA="$(_pg_node_dir "$i")" LIKES_PG_NAME="$(_pg_node_name "$i")"
        export LIKES_PG_PORT LIKES_PG_DATA LIKES_PG_NAME
        "$@"
    )
}

# The node serving as the primary: 1 until a failover promoted the other.
pg_primary_node() {
    local f
    f="$(_local_dir)/pg-primary"
    if [[ -r "$f" ]]; then cat "$f"; else echo 1; fi
}

# What the node itself says: primary, standby, or - when it does not answer.
_pg_role() {
    case "$(_pg_on "$1" _pg_psql -d postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" in
        f) echo primary ;;
        t) echo standby ;;
        *) echo - ;;
    esac
}

# Node <i> as the standby of the other: a base backup of the primary that follows its WAL (-R), named so that the
# primary waits for it on commit. A former primary (no standby.signal) may hold WAL the promoted node never received:
# its data is replaced by a fresh base backup, never started beside the new primary as a second one.
pg_standby_start() {
    local i="$1" p=$((3 - $1)) d name log pidf sock port pport
    d="$(_pg_node_dir "$i")"; name="$(_pg_node_name "$i")"; log="$(_log_file "$name")"; pidf="$(_pid_file "$name")"
    port="$(_pg_node_port "$i")"; pport="$(_pg_node_port "$p")"; sock="$(_pg_socket_dir)"
    if _pg_on "$i" _pg_ready; then
        if [[ "$(_pg_role "$i")" == primary ]]; then
            _err "PostgreSQL $name (:$port) runs as a primary beside the primary on :$pport; stop it (pg_ctl -D $d -m fast stop), then start again"
            return 1
        fi
    else
        touch "$log"
        if ((EUID == 0)); then chown postgres: "$log"; fi
        if [[ -f "$d/PG_VERSION" && ! -f "$d/standby.signal" ]]; then
            _say postgres "$name (:$port) was a primary: its data replaced by a base backup of the primary on :$pport"
            rm -rf "$d"
        fi
        if [[ ! -f "$d/PG_VERSION" ]]; then
            mkdir -p "$d"
            if ((EUID == 0)); then chown postgres: "$d"; fi
            chmod 0700 "$d"
            _as_pg "$LIKES_PG_BIN/pg_basebackup" -D "$d" -R -X stream -c fast \
                -d "host=$sock port=$pport user=postgres application_name=likes_standby" >>"$log" 2>&1 || {
                _err "pg_basebackup from the primary failed"; _tail_log "$log"; return 1
            }
        fi
        # Where the primary is comes from likes.conf, rewritten on every start; -R's copy would win over it.
        _as_pg sed -i '/^primary_conninfo/d' "$d/postgresql.auto.conf"
        _pg_write_conf "$d" "$port" "$sock" standby "$pport" || return 1
        if ! _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$d" -l "$log" -w -t 30 start >/dev/null 2>>"$log" </dev/null; then
            _err "the PostgreSQL standby failed to start"; _tail_log "$log"; return 1
        fi
        wait_for "PostgreSQL standby on 127.0.0.1:$port" 15 _pg_on "$i" _pg_ready || { _tail_log "$log"; return 1; }
    fi
    head -n 1 "$d/postmaster.pid" >"$pidf"
    # A promoted primary ran without a synchronous standby; with this one streaming it waits for it on commit again.
    _pg_write_conf "$(_pg_node_dir "$p")" "$pport" "$sock" primary || return 1
    _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$(_pg_node_dir "$p")" reload >/dev/null </dev/null || return 1
    wait_for "the standby streaming synchronously" 60 _pg_standby_sync || return 1
    _say postgres "standby $name on 127.0.0.1:$port (streaming from :$pport, synchronous)"
}

_pg_standby_sync() {
    [[ "$(_pg_psql -d postgres -tAc "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'likes_standby'")" == sync ]]
}

# Failover: the standby promoted (pg_ctl promote) and recorded as the primary. It commits alone until the other node
# has rejoined as its standby (pg_standby_start, through servers-up). The old primary must be down: check first.
pg_promote() {
    local p s
    p="$(pg_primary_node)"; s=$((3 - p))
    if _pg_on "$p" _pg_ready; then
        _err "the primary $(_pg_node_name "$p") on :$(_pg_node_port "$p") still answers: stop it before promoting the standby"
        return 1
    fi
    _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$(_pg_node_dir "$s")" -w -t 60 promote >/dev/null </dev/null || {
        _err "pg_ctl promote of $(_pg_node_name "$s") failed"; return 1
    }
    printf '%s\n' "$s" >"$(_local_dir)/pg-primary"
    _say postgres "$(_pg_node_name "$s") on 127.0.0.1:$(_pg_node_port "$s") promoted: the primary now"
}

pg_cluster_start() {
    local p
    p="$(pg_primary_node)"
    _pg_on "$p" pg_start || return 1
    pg_standby_start $((3 - p))
}

pg_cluster_stop() {
    local p rc=0
    p="$(pg_primary_node)"
    # The standby first: a synchronous primary stopping with its standby gone still stops (fast mode).
    _pg_on $((3 - p)) pg_stop >/dev/null || rc=1
    _pg_on "$p" pg_stop || rc=1
    return "$rc"
}

# ----------------------------------------------------------------- all ----

cluster_servers_up() {
    redis_cluster_start || return 1
    nats_cluster_start || return 1
    pg_cluster_start
}

cluster_servers_running() {
    _redis_cluster_ok && _nats_cluster_healthy && _pg_on 1 _pg_ready && _pg_on 2 _pg_ready
}

cluster_servers_down() {
    local rc=0
    redis_cluster_stop || rc=1
    nats_cluster_stop || rc=1
    pg_cluster_stop || rc=1
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
    # Each node's role as it says itself (after a failover the node started as the standby is the primary).
    for i in 1 2; do
        if _pg_on "$i" _pg_ready; then ready=ready; else ready=not-ready; fi
        printf '%-11s %-8s %-6s %s %s\n' "pg-$i" "$(_pid_of "$(_pid_file "$(_pg_node_name "$i")")")" "$(_pg_node_port "$i")" "$ready" "$(_pg_role "$i")"
    done
}

# A caller that set LIKES_CLUSTER=on (the fault suite's cluster stack) gets the cluster's layout with the scripts.
if cluster_enabled; then cluster_mode_on; fi
