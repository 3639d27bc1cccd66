#!/usr/bin/env bash
# The Likes daemons: build, provision, start, stop, status. Sourced by ./likes after servers.sh.

# name:assembly:port, in start order. Ports: LIKES_<NAME>_PORT (the fault suite runs a second fleet elsewhere).
# In the cluster two of each, <name>-1 and <name>-2, on the ports LIKES_<NAME>_PORTS lists.
fleet_daemons() {
    local entry name assembly port ports i
    for entry in "persister:Likes.Persister:9102:9112 9122" "aggregator:Likes.Aggregator:9101:9111 9121" \
        "reheater:Likes.Reheater:9103:9113 9123" "reconciler:Likes.Reconciler:9104:9114 9124" "edge:Likes.Edge:8080:8081 8082"; do
        IFS=: read -r name assembly port ports <<<"$entry"
        if cluster_enabled; then
            local var="LIKES_${name^^}_PORTS"
            i=0
            for port in ${!var:-$ports}; do
                i=$((i + 1))
                echo "$name-$i:$assembly:$port"
            done
        else
            local var="LIKES_${name^^}_PORT"
            echo "$name:$assembly:${!var:-$port}"
        fi
    done
}

# Every replica's URL of a daemon, comma-separated: the load generator and the demo spread their users over the
# edges, and sum the workers' metrics over their replicas.
fleet_urls() {
    fleet_daemons | awk -F: -v d="$1" '$1 == d || index($1, d "-") == 1 {printf "%shttp://127.0.0.1:%s", sep, $3; sep = ","} END {print ""}'
}

# The daemon a fleet entry runs (edge-2 runs the edge): its credentials and durable consumers are the daemon's.
_daemon_of() { printf '%s\n' "${1%-[0-9]*}"; }

# The documented local development key (README); a real deployment sets its own from a secret. The local fleet runs
# as Development, the only environment where the edge takes that key (ASPNETCORE_ENVIRONMENT overrides it).
: "${LIKES_JWT_KEY:=likes-local-development-key-0123456789abcdef}"
export LIKES_JWT_KEY
: "${ASPNETCORE_ENVIRONMENT:=Development}"

# The servers' addresses for the daemons and the admin tool: what the environment says, else the local
# servers on their LIKES_*_PORT. Passed per command, never exported: test hosts must not inherit them.
_fleet_env() {
    printf '%s\n' \
        "LIKES_REDIS=${LIKES_REDIS:-$(client_redis_endpoints)}" \
        "LIKES_NATS_URL=${LIKES_NATS_URL:-$(client_nats_urls)}" \
        "LIKES_POSTGRES=${LIKES_POSTGRES:-$(client_postgres)}"
    if cluster_enabled; then echo "LIKES_STREAM_REPLICAS=3"; fi
    # Every process here shares one machine's cores: workstation GC, not concurrent, as .NET advises for many
    # processes on one machine (server GC gives each a heap and a GC thread per core). The caller's choice wins.
    echo "DOTNET_gcServer=${DOTNET_gcServer:-0}"
    echo "DOTNET_gcConcurrent=${DOTNET_gcConcurrent:-0}"
}

_dll() { printf '%s/artifacts/bin/%s/release/%s.dll\n' "$(likes_root)" "$1" "$1"; }

_daemon_ready() { curl -fsS -m 2 "http://127.0.0.1:$1/healthz/ready" >/dev/null 2>&1; }

fleet_build() {
    local log
    log="$(_log_file build)"
    mkdir -p "$(dirname "$log")"
    if ! dotnet build "$(likes_root)/Workers.sln" -c Release -nologo -v quiet >"$log" 2>&1; then
        grep -E "error|Error" "$log" | sort -u | head -20 >&2
        _err "build failed; full log in $log"
        return 1
    fi
    _say build "ok"
}

# Migrations (the daemons' roles with them), the roles' logins, the streams: as the admin.
fleet_provision() {
    local log env=()
    log="$(_log_file admin)"
    mapfile -t env < <(_fleet_env; credentials_admin_env; credentials_postgres_logins_env)
    if ! env "${env[@]}" dotnet "$(_dll Likes.Admin)" all >"$log" 2>&1; then
        cat "$log" >&2
        _err "migrations or stream provisioning failed"
        return 1
    fi
    _say schema "migrated; streams provisioned"
}

fleet_all_ready() {
    local entry name assembly port
    for entry in $(fleet_daemons); do
        IFS=: read -r name assembly port <<<"$entry"
        pid_alive "$(_pid_file "$name")" && _daemon_ready "$port" || return 1
    done
}

# Each daemon with its own credentials only (scripts/credentials.sh), never another's.
fleet_start() {
    local entry name assembly port pidfile vars own
    mapfile -t vars < <(_fleet_env)
    for entry in $(fleet_daemons); do
        IFS=: read -r name assembly port <<<"$entry"
        pidfile="$(_pid_file "$name")"
        if pid_alive "$pidfile"; then
            continue
        fi
        if _tcp_open "$port"; then
            _err "port $port for $name is taken by another process"
            return 1
        fi
        mapfile -t own < <(credentials_daemon_env "$(_daemon_of "$name")")
        env "${vars[@]}" "${own[@]}" ASPNETCORE_ENVIRONMENT="$ASPNETCORE_ENVIRONMENT" \
            nohup dotnet "$(_dll "$assembly")" --urls "http://127.0.0.1:$port" \
            --contentRoot "$(dirname "$(_dll "$assembly")")" \
            >>"$(_log_file "$name")" 2>&1 </dev/null &
        echo $! >"$pidfile"
    done
    for entry in $(fleet_daemons); do
        IFS=: read -r name assembly port <<<"$entry"
        if ! wait_for "$name on :$port" 60 _daemon_ready "$port"; then
            _tail_log "$(_log_file "$name")"
            return 1
        fi
        _say "$name" "ready on 127.0.0.1:$port"
    done
}

fleet_stop() {
    local entry name assembly port
    for entry in $(fleet_daemons); do
        IFS=: read -r name assembly port <<<"$entry"
        if pid_alive "$(_pid_file "$name")"; then
            _stop_pid "$(_pid_of "$(_pid_file "$name")")" 15
        fi
        rm -f "$(_pid_file "$name")"
    done
}

fleet_status() {
    local entry name assembly port state
    for entry in $(fleet_daemons); do
        IFS=: read -r name assembly port <<<"$entry"
        state="not-ready"
        if pid_alive "$(_pid_file "$name")" && _daemon_ready "$port"; then state="ready"; fi
        printf '%-11s %-8s %-6s %s\n' "$name" "$(_pid_of "$(_pid_file "$name")")" "$port" "$state"
    done
}
