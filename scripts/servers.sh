# shellcheck shell=bash
# Local development servers for Likes: Redis, NATS (JetStream) and PostgreSQL.
#
# Sourced by ./likes; safe under `set -euo pipefail`. Every function is
# idempotent, never prompts and never reads stdin (works with CI=true).
# Everything listens on 127.0.0.1 only; all runtime state lives in .local/
# (or LIKES_LOCAL_DIR: the fault suite runs a second, private stack under .local/faults/):
#
#   .local/redis/         Redis working dir (no persistence configured), users.acl
#   .local/nats/          NATS JetStream store dir, auth.conf
#   .local/pg/            PostgreSQL data dir (owner postgres, mode 0700)
#   .local/auth/          the daemons' credentials (scripts/credentials.sh)
#   .local/logs/<n>.log   server logs (apt.log for installs)
#   .local/run/<n>.pid    pid files; .local/run/pg/ holds the PostgreSQL socket
#
# Environment (all optional):
#   LIKES_ROOT               repo root (default: the directory holding ./likes)
#   LIKES_LOCAL_DIR          where runtime state lives: .local (relative to the repo root, or absolute)
#   LIKES_REDIS_PORT         6379
#   LIKES_REDIS_MAXMEMORY    512mb
#   LIKES_REDIS_EVICTION     allkeys-lru (every Likes key is a cache; docs/redis.md)
#   LIKES_REDIS_ZSET_LISTPACK_ENTRIES  LIKES_TIMELINE_SIZE + 2 (a full timeline stays compact)
#   LIKES_NATS_PORT          4222
#   LIKES_NATS_MONITOR_PORT  8222
#   LIKES_PG_PORT            5432
#   LIKES_LOCAL_AUTH         on: a user per daemon on each server, passwords required (scripts/credentials.sh)

LIKES_PG_BIN="${LIKES_PG_BIN:-/usr/lib/postgresql/15/bin}"

# The credentials of each daemon on each server (LIKES_LOCAL_AUTH): wherever the servers are started, so are they.
# shellcheck source=scripts/credentials.sh
source "$(dirname "${BASH_SOURCE[0]}")/credentials.sh"
# The production topology on loopback (LIKES_CLUSTER=on, `./likes up --cluster`).
# shellcheck source=scripts/cluster.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"

# ---------------------------------------------------------------- layout ----

# Prints the repo root: the directory that contains the `likes` script.
likes_root() {
    if [[ -n "${LIKES_ROOT:-}" ]]; then
        printf '%s\n' "$LIKES_ROOT"
        return 0
    fi
    local here
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
    if [[ ! -f "$here/likes" ]]; then
        echo "error: cannot find the 'likes' script in $here" >&2
        return 1
    fi
    printf '%s\n' "$here"
}

_local_dir() {
    local d="${LIKES_LOCAL_DIR:-.local}"
    [[ "$d" == /* ]] || d="$(likes_root)/$d"
    printf '%s\n' "$d"
}
_log_file() { printf '%s/logs/%s.log\n' "$(_local_dir)" "$1"; }
_pid_file() { printf '%s/run/%s.pid\n' "$(_local_dir)" "$1"; }

_ensure_layout() {
    local l
    l="$(_local_dir)" || return 1
    mkdir -p "$l/redis" "$l/nats" "$l/logs" "$l/run"
    # Other users (postgres) must be able to traverse into .local.
    chmod 0755 "$l" "$l/logs" "$l/run"
}

_say() { printf '%-8s %s\n' "$1" "$2"; }
_err() { printf 'error: %s\n' "$*" >&2; }

# Shows the last lines of a log after a failure.
_tail_log() {
    local f="$1"
    if [[ -f "$f" ]]; then
        echo "---- last lines of $f ----" >&2
        tail -n 20 "$f" >&2 || true
        echo "----" >&2
    fi
}

# --------------------------------------------------------------- helpers ----

# wait_for <description> <timeout_s> <command...>
# Runs the command every 0.1 s until it succeeds; returns 1 after timeout_s.
wait_for() {
    local desc="$1" timeout="$2"
    shift 2
    local deadline=$((SECONDS + timeout))
    while true; do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        if ((SECONDS >= deadline)); then
            _err "timed out after ${timeout}s waiting for $desc"
            return 1
        fi
        sleep 0.1
    done
}

# True when <pid> is a live process. Zombies count as dead: a daemon's exit is
# only reaped when its new parent (init) gets round to it, which can take a while.
_proc_alive() {
    kill -0 "$1" 2>/dev/null || return 1
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
    stat="${stat##*) }"
    [[ "${stat:0:1}" != Z ]]
}

# pid_alive <pidfile>: true when the file holds the pid of a live process.
pid_alive() {
    local f="$1" pid
    [[ -r "$f" ]] || return 1
    read -r pid <"$f" 2>/dev/null || [[ -n "${pid:-}" ]] || return 1
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    _proc_alive "$pid"
}

_pid_of() {
    local pid=""
    if pid_alive "$1"; then
        read -r pid <"$1" || true
    fi
    printf '%s\n' "${pid:--}"
}

# True when something accepts TCP connections on 127.0.0.1:<port>.
_tcp_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sends SIGTERM, waits up to <grace> s, then SIGKILL.
_stop_pid() {
    local pid="$1" grace="${2:-10}"
    kill -TERM "$pid" 2>/dev/null || return 0
    local deadline=$((SECONDS + grace))
    while _proc_alive "$pid"; do
        if ((SECONDS >= deadline)); then
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
            break
        fi
        sleep 0.1
    done
}

# Runs a command as the OS user owning the PostgreSQL cluster. PostgreSQL
# refuses to run as root: as root we switch to `postgres`; as any other user
# the cluster simply belongs to that user.
_as_pg() {
    if ((EUID == 0)); then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

_pg_owner() {
    if ((EUID == 0)); then echo postgres; else id -un; fi
}

# --------------------------------------------------------------- install ----

servers_install() {
    _ensure_layout || return 1
    local pkgs=() what=()
    if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
        pkgs+=(redis-server redis-tools); what+=("redis (redis-server redis-tools)")
    fi
    if [[ ! -x "$LIKES_PG_BIN/initdb" || ! -x "$LIKES_PG_BIN/pg_ctl" || ! -x "$LIKES_PG_BIN/psql" ]]; then
        pkgs+=(postgresql-15 postgresql-client-15); what+=("postgres (postgresql-15)")
    fi
    if ! command -v curl >/dev/null; then
        pkgs+=(curl ca-certificates); what+=("curl")
    fi
    ((${#pkgs[@]} == 0)) && return 0

    local sudo=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null; then
            sudo=(sudo -n)
        else
            _err "missing packages (${pkgs[*]}) and not root; install them first"
            return 1
        fi
    fi

    local log rc=0 policy=/usr/sbin/policy-rc.d made_policy=0
    log="$(_log_file apt)"
    # Keep the packages' own init scripts from starting system-wide servers
    # on the default ports (redis-server/postgresql start a service on install).
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 0755 "$policy"
        made_policy=1
    fi
    {
        echo "=== $(date -u +%FT%TZ) apt-get install ${pkgs[*]}"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends -o Dpkg::Options::=--force-confold "${pkgs[@]}"
    } >>"$log" 2>&1 </dev/null || rc=$?
    if ((made_policy)); then
        "${sudo[@]}" rm -f "$policy"
    fi
    if ((rc != 0)); then
        _err "apt-get install ${pkgs[*]} failed (exit $rc); see $log"
        _tail_log "$log"
        return 1
    fi
    local w
    for w in "${what[@]}"; do
        echo "installed ${w}"
    done
}

# ------------------------------------------------------------ nats-server ----

# The supported server line: 2.10. Debian 12 ships 2.9.10, which lost acknowledged events after a restart
# (docs/reliability.md); Debian 13's package runs on Debian 12's libc. It is fetched into a private apt state,
# unpacked under .local/tools/nats and run from there: nothing of Debian 13 is installed system-wide.
LIKES_NATS_VERSION="${LIKES_NATS_VERSION:-2.10.27}"
LIKES_NATS_PACKAGE="${LIKES_NATS_PACKAGE:-nats-server=2.10.27-1+b2}"
LIKES_NATS_SUITE="${LIKES_NATS_SUITE:-trixie}"

_nats_tools_dir() { printf '%s/.local/tools/nats\n' "$(likes_root)"; }

# The nats-server every script and test runs: LIKES_NATS_SERVER when set, else the unpacked package.
nats_server_bin() {
    if [[ -n "${LIKES_NATS_SERVER:-}" ]]; then
        printf '%s\n' "$LIKES_NATS_SERVER"
    else
        printf '%s/root/usr/sbin/nats-server\n' "$(_nats_tools_dir)"
    fi
}

_nats_version_ok() {
    local bin
    bin="$(nats_server_bin)"
    [[ -x "$bin" ]] && [[ "$("$bin" --version 2>/dev/null)" == "nats-server: v${LIKES_NATS_VERSION}" ]]
}

# The Debian mirror this machine's apt already uses (never a host written into the repository).
_apt_mirror() {
    local m=""
    m="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
    [[ -n "$m" ]] || m="$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)"
    printf '%s\n' "$m"
}

nats_install() {
    _nats_version_ok && return 0
    if [[ -n "${LIKES_NATS_SERVER:-}" ]]; then
        _err "LIKES_NATS_SERVER=$LIKES_NATS_SERVER is not nats-server v$LIKES_NATS_VERSION"
        return 1
    fi
    local dest mirror log deb
    dest="$(_nats_tools_dir)"; log="$(_log_file apt)"; mirror="$(_apt_mirror)"
    if [[ -z "$mirror" ]]; then
        _err "cannot read a Debian mirror from /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
        return 1
    fi
    mkdir -p "$dest/lists/partial" "$dest/archives/partial" "$(dirname "$log")"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $LIKES_NATS_SUITE main" >"$dest/sources.list"
    local opts=(-o Dir::Etc::sourcelist="$dest/sources.list" -o Dir::Etc::sourceparts=- -o Dir::State::Lists="$dest/lists"
        -o Dir::Cache::archives="$dest/archives" -o APT::Sandbox::User=root -o Debug::NoLocking=1)
    {
        echo "=== $(date -u +%FT%TZ) $LIKES_NATS_PACKAGE from $LIKES_NATS_SUITE, unpacked into $dest"
        apt-get "${opts[@]}" update -q &&
            (cd "$dest/archives" && apt-get "${opts[@]}" download "$LIKES_NATS_PACKAGE")
    } >>"$log" 2>&1 </dev/null || {
        _err "could not download $LIKES_NATS_PACKAGE from $LIKES_NATS_SUITE; see $log"
        _tail_log "$log"
        return 1
    }
    deb="$(ls -t "$dest"/archives/nats-server_*.deb 2>/dev/null | head -n 1)"
    rm -rf "$dest/root"
    dpkg-deb -x "$deb" "$dest/root" >>"$log" 2>&1 || { _err "dpkg-deb -x $deb failed; see $log"; return 1; }
    if ! _nats_version_ok; then
        _err "$(nats_server_bin) is not v$LIKES_NATS_VERSION: $("$(nats_server_bin)" --version 2>&1)"
        return 1
    fi
    echo "installed nats-server v$LIKES_NATS_VERSION ($LIKES_NATS_SUITE package, unpacked into ${dest#"$(likes_root)"/})"
}

# ----------------------------------------------------------------- redis ----

_redis_ready() {
    [[ "$(redis_admin_cli ping 2>/dev/null </dev/null)" == PONG ]]
}

redis_start() {
    local port="${LIKES_REDIS_PORT:-6379}"
    if _redis_ready; then
        _say redis "ready on 127.0.0.1:$port (already running)"
        return 0
    fi
    _ensure_layout || return 1
    local l log pidf acl=()
    l="$(_local_dir)"; log="$(_log_file redis)"; pidf="$(_pid_file redis)"
    if credentials_enabled; then
        credentials_server_config redis-acl "$l/redis/users.acl" || return 1
        acl=(--aclfile "$l/redis/users.acl")
    fi
    redis-server \
        --daemonize yes \
        --bind 127.0.0.1 \
        --port "$port" \
        --protected-mode yes \
        --dir "$l/redis" \
        --save "" \
        --appendonly no \
        --maxmemory "${LIKES_REDIS_MAXMEMORY:-512mb}" \
        --maxmemory-policy "${LIKES_REDIS_EVICTION:-allkeys-lru}" \
        --zset-max-listpack-entries "${LIKES_REDIS_ZSET_LISTPACK_ENTRIES:-$((${LIKES_TIMELINE_SIZE:-1000} + 2))}" \
        --zset-max-listpack-value 64 \
        "${acl[@]}" \
        --pidfile "$pidf" \
        --logfile "$log" </dev/null || {
        _err "redis-server failed to start"; _tail_log "$log"; return 1
    }
    wait_for "redis PING on 127.0.0.1:$port" 15 _redis_ready || { _tail_log "$log"; return 1; }
    _say redis "ready on 127.0.0.1:$port"
}

redis_stop() {
    local pidf pid
    pidf="$(_pid_file redis)"
    if ! pid_alive "$pidf"; then
        rm -f "$pidf"
        _say redis "not running"
        return 0
    fi
    read -r pid <"$pidf"
    redis_admin_cli shutdown nosave >/dev/null 2>&1 </dev/null || true
    local deadline=$((SECONDS + 5))
    while _proc_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    if _proc_alive "$pid"; then _stop_pid "$pid" 10; fi
    rm -f "$pidf"
    _say redis "stopped"
}

# ------------------------------------------------------------------ nats ----

_nats_healthy() {
    local mon="${LIKES_NATS_MONITOR_PORT:-8222}"
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$mon/healthz?js-enabled-only=true" 2>/dev/null ||
        curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$mon/healthz" 2>/dev/null
}

nats_start() {
    local port="${LIKES_NATS_PORT:-4222}" mon="${LIKES_NATS_MONITOR_PORT:-8222}"
    if _nats_healthy; then
        _say nats "ready on 127.0.0.1:$port (already running)"
        return 0
    fi
    if _tcp_open "$port"; then
        _err "127.0.0.1:$port is taken but no NATS monitoring answers on :$mon"
        return 1
    fi
    _ensure_layout || return 1
    local l log pidf pid auth=()
    l="$(_local_dir)"; log="$(_log_file nats)"; pidf="$(_pid_file nats)"
    if credentials_enabled; then
        credentials_server_config nats-config "$l/nats/auth.conf" || return 1
        auth=(-c "$l/nats/auth.conf")
    fi
    # setsid: own session, so the server outlives the calling shell/job.
    # nats-server writes its own pid (-P), which stays right even if setsid forks.
    rm -f "$pidf"
    nohup setsid "$(nats_server_bin)" "${auth[@]}" -a 127.0.0.1 -p "$port" -m "$mon" \
        -js -sd "$l/nats" --server_name likes-local -P "$pidf" \
        >>"$log" 2>&1 </dev/null &
    pid=$!
    if ! wait_for "NATS /healthz on 127.0.0.1:$mon" 20 _nats_healthy; then
        pid_alive "$pidf" || _proc_alive "$pid" || _err "nats-server exited"
        _tail_log "$log"
        return 1
    fi
    _say nats "ready on 127.0.0.1:$port (monitor :$mon, JetStream)"
}

nats_stop() {
    local pidf pid
    pidf="$(_pid_file nats)"
    if ! pid_alive "$pidf"; then
        rm -f "$pidf"
        _say nats "not running"
        return 0
    fi
    read -r pid <"$pidf"
    _stop_pid "$pid" 10
    rm -f "$pidf"
    _say nats "stopped"
}

# -------------------------------------------------------------- postgres ----

# LIKES_PG_DATA and LIKES_PG_NAME (pid and log file) name another server of the machine: the cluster's two nodes.
_pg_dir() { printf '%s\n' "${LIKES_PG_DATA:-$(_local_dir)/pg}"; }
_pg_name() { printf '%s\n' "${LIKES_PG_NAME:-postgres}"; }

_pg_ready() {
    "$LIKES_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "${LIKES_PG_PORT:-5432}" -t 1 </dev/null
}

_pg_running() {
    local d
    d="$(_pg_dir)"
    [[ -f "$d/PG_VERSION" ]] && _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$d" status >/dev/null 2>&1
}

# Unix socket directory (clients use TCP; the socket is only a convenience).
# Socket paths are limited to 107 bytes, so long checkouts fall back to /tmp.
_pg_socket_dir() {
    local d
    d="$(_local_dir)/run/pg"
    if ((${#d} + 20 > 100)); then d=/tmp; fi
    printf '%s\n' "$d"
}

# Fails with a clear message when the cluster owner cannot reach .local.
_pg_check_traverse() {
    local l
    l="$(_local_dir)"
    if _as_pg test -x "$l" -a -w "$(_pg_dir)" 2>/dev/null; then
        return 0
    fi
    local p="$l" bad=""
    while [[ "$p" != "/" && -n "$p" ]]; do
        _as_pg test -x "$p" 2>/dev/null || bad="$p"
        p="$(dirname "$p")"
    done
    _err "the '$(_pg_owner)' OS user cannot reach $(_pg_dir)${bad:+ (no search permission on $bad)}."
    _err "PostgreSQL refuses to run as root; move the checkout or run: chmod o+x on each parent directory (see: namei -l $l)"
    return 1
}

# _pg_write_conf <dir> <port> <socket dir> [primary|standby [<primary's port>]]: in the cluster the primary commits
# only once its standby has the WAL (synchronous); a standby has no standby of its own, so once promoted it never
# waits (scripts/cluster.sh makes it synchronous again when the other node has rejoined as its standby).
_pg_write_conf() {
    local d="$1" port="$2" sock="$3" role="${4:-primary}" sync=""
    if cluster_enabled && [[ "$role" == primary ]]; then sync="synchronous_standby_names = 'likes_standby'"; fi
    # The standby follows the primary on the port it has now (the fault suite picks new ports every run).
    if [[ "$role" == standby ]]; then
        sync="primary_conninfo = 'host=$sock port=${5:-${LIKES_PG_PORT:-5432}} user=postgres application_name=likes_standby'"
    fi
    # Settings live in likes.conf, included from postgresql.conf and
    # rewritten on every start so env changes (port) take effect.
    _as_pg tee "$d/likes.conf" >/dev/null <<EOF
# Managed by scripts/servers.sh -- rewritten on every start.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
shared_buffers = 128MB
max_connections = 200
fsync = on
shared_preload_libraries = 'pg_stat_statements'
$sync
EOF
    if ! grep -q "^include_if_exists = 'likes.conf'" "$d/postgresql.conf"; then
        printf "\ninclude_if_exists = 'likes.conf'\n" | _as_pg tee -a "$d/postgresql.conf" >/dev/null
    fi
    _pg_write_hba "$d"
}

# Who may log in how, rewritten on every start. With LIKES_LOCAL_AUTH on, every role (the daemons' included)
# logs in over TCP with its password; the socket stays trusted, the scripts' way in as postgres.
_pg_write_hba() {
    local d="$1" tcp=trust
    credentials_enabled && tcp=scram-sha-256
    _as_pg tee "$d/pg_hba.conf" >/dev/null <<EOF
# Managed by scripts/servers.sh -- rewritten on every start (LIKES_LOCAL_AUTH).
local   all  all                 trust
local   replication  all         trust
host    all  all  127.0.0.1/32   $tcp
host    all  all  ::1/128        $tcp
EOF
}

_pg_initdb() {
    local d="$1" log="$2"
    # Local development only: initdb --auth=trust lets anyone on this machine
    # connect as any role (including postgres) over loopback/socket without a
    # password. The `likes` role still gets a password so connection strings
    # work unchanged against a real server (which must use scram-sha-256).
    if ! _as_pg "$LIKES_PG_BIN/initdb" -D "$d" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >>"$log" 2>&1 </dev/null; then
        echo "initdb with --locale=C.UTF-8 failed; retrying with --locale=C" >>"$log"
        _as_pg "$LIKES_PG_BIN/initdb" -D "$d" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C >>"$log" 2>&1 </dev/null || {
            _err "initdb failed; see $log"; _tail_log "$log"; return 1
        }
    fi
}

# psql as postgres: over this cluster's socket (trusted) when there is one, else TCP. Its commits are local: in the
# cluster the primary is set up before the standby it would otherwise wait for. In the cluster it asks the primary,
# whichever node that is now, unless a node was named (_pg_on in scripts/cluster.sh).
_pg_psql() {
    local port="${LIKES_PG_PORT:-5432}" host=127.0.0.1
    if cluster_enabled && [[ -z "${LIKES_PG_NAME:-}" ]]; then port="$(_pg_node_port "$(pg_primary_node)")"; fi
    [[ -S "$(_pg_socket_dir)/.s.PGSQL.$port" ]] && host="$(_pg_socket_dir)"
    PGOPTIONS="-c client_min_messages=warning -c synchronous_commit=local" "$LIKES_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" \
        -U postgres "$@" </dev/null
}

# Role likes/likes (CREATEDB CREATEROLE, not superuser), database likes owned
# by it, and pg_stat_statements in that database. Safe to run repeatedly.
_pg_ensure_app() {
    _pg_psql -d postgres -c "
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'likes') THEN
    CREATE ROLE likes LOGIN PASSWORD 'likes' CREATEDB CREATEROLE NOSUPERUSER;
  END IF;
END
\$\$;" || return 1
    if [[ "$(_pg_psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'likes'")" != 1 ]]; then
        _pg_psql -d postgres -c "CREATE DATABASE likes OWNER likes" || return 1
    fi
    _pg_psql -d likes -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" || return 1
    # The benchmarks and the reconcile figures read pg_stat_statements of every role.
    _pg_psql -d postgres -c "GRANT pg_read_all_stats TO likes" || return 1
}

pg_start() {
    local port="${LIKES_PG_PORT:-5432}"
    local d log sock pidf state=""
    d="$(_pg_dir)"; log="$(_log_file "$(_pg_name)")"; pidf="$(_pid_file "$(_pg_name)")"
    if _pg_running; then
        state="; already running"
    elif _pg_ready; then
        state="; already running, not from .local/pg"
    else
        _ensure_layout || return 1
        local owner
        owner="$(_pg_owner)"
        if ! id -u "$owner" >/dev/null 2>&1; then
            _err "OS user '$owner' does not exist; is postgresql-15 installed?"
            return 1
        fi
        sock="$(_pg_socket_dir)"
        mkdir -p "$d"
        [[ "$sock" == /tmp ]] || mkdir -p "$sock"
        touch "$log"
        if ((EUID == 0)); then
            chown postgres: "$d" "$log"
            [[ "$sock" == /tmp ]] || chown postgres: "$sock"
        fi
        chmod 0700 "$d"
        [[ "$sock" == /tmp ]] || chmod 0755 "$sock"
        _pg_check_traverse || return 1
        if [[ ! -f "$d/PG_VERSION" ]]; then
            _pg_initdb "$d" "$log" || return 1
        fi
        _pg_write_conf "$d" "$port" "$sock" || return 1
        if ! _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$d" -l "$log" -w -t 30 start >/dev/null 2>>"$log" </dev/null; then
            _err "PostgreSQL failed to start"; _tail_log "$log"; return 1
        fi
        wait_for "PostgreSQL on 127.0.0.1:$port" 15 _pg_ready || { _tail_log "$log"; return 1; }
    fi
    if [[ -f "$d/postmaster.pid" ]] && _pg_running; then
        head -n 1 "$d/postmaster.pid" >"$pidf"
    fi
    _pg_ensure_app || { _err "could not create role/database likes"; return 1; }
    _say postgres "ready on 127.0.0.1:$port (db likes, user likes$state)"
}

pg_stop() {
    local d pidf
    d="$(_pg_dir)"; pidf="$(_pid_file "$(_pg_name)")"
    rm -f "$pidf"
    if ! _pg_running; then
        _say postgres "not running"
        return 0
    fi
    _as_pg "$LIKES_PG_BIN/pg_ctl" -D "$d" -m fast -w -t 30 stop >/dev/null </dev/null || {
        _err "pg_ctl stop failed"; return 1
    }
    _say postgres "stopped"
}

# ----------------------------------------------------------------- all ----

servers_up() {
    servers_install || return 1
    nats_install || return 1
    # Tests that start a nats-server of their own start this one.
    LIKES_NATS_SERVER="$(nats_server_bin)"
    export LIKES_NATS_SERVER
    credentials_ensure || return 1
    if cluster_enabled; then
        cluster_servers_up || return 1
    else
        redis_start || return 1
        nats_start || return 1
        pg_start || return 1
    fi
    credentials_export_tests
}

# True when all three servers answer (nothing to install or start).
servers_running() {
    if cluster_enabled; then cluster_servers_running; return; fi
    command -v redis-cli >/dev/null 2>&1 && _redis_ready && _nats_healthy &&
        [[ -x "$LIKES_PG_BIN/pg_isready" ]] && _pg_ready
}

# Stops the servers this library started; data in .local/ is kept.
servers_down() {
    if cluster_enabled; then cluster_servers_down; return; fi
    local rc=0
    redis_stop || rc=1
    nats_stop || rc=1
    pg_stop || rc=1
    return "$rc"
}

servers_status() {
    if cluster_enabled; then cluster_servers_status; return; fi
    local pid ready
    pid="$(_pid_of "$(_pid_file redis)")"
    if _redis_ready; then ready=ready; else ready=not-ready; fi
    printf '%-11s %-8s %-6s %s\n' redis "$pid" "${LIKES_REDIS_PORT:-6379}" "$ready"

    pid="$(_pid_of "$(_pid_file nats)")"
    if _nats_healthy; then ready=ready; else ready=not-ready; fi
    printf '%-11s %-8s %-6s %s\n' nats "$pid" "${LIKES_NATS_PORT:-4222}" "$ready"

    pid=-
    if _pg_running && [[ -r "$(_pg_dir)/postmaster.pid" ]]; then
        pid="$(head -n 1 "$(_pg_dir)/postmaster.pid")"
    fi
    if [[ -x "$LIKES_PG_BIN/pg_isready" ]] && _pg_ready; then ready=ready; else ready=not-ready; fi
    printf '%-11s %-8s %-6s %s\n' postgres "$pid" "${LIKES_PG_PORT:-5432}" "$ready"
}
