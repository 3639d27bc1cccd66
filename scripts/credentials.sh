# shellcheck shell=bash
# Local least privilege (docs/security.md): a NATS user, a Redis ACL user and a PostgreSQL role per daemon,
# each allowed only what its daemon does. Sourced by servers.sh; safe under `set -euo pipefail`.
#
#   .local/auth/credentials.env   every password, random, generated once (mode 0600, ignored by git)
#   .local/nats/auth.conf         the NATS users and their subjects      (written when nats-server starts)
#   .local/redis/users.acl        the Redis users, passwords as SHA-256  (written when redis-server starts)
#
# All three come from `likes-admin access`, the generator the tests check against real servers. The
# PostgreSQL roles come from the migrations; `likes-admin logins` (in fleet_provision) sets their passwords.
# A server picks its configuration up when it starts: turning this on for running servers takes
# `./likes down && ./likes up`.
#
# Environment (all optional):
#   LIKES_LOCAL_AUTH         on: servers started here require the credentials (default); off: none do
#   LIKES_CREDENTIALS_FILE   the passwords file (default .local/auth/credentials.env); a second checkout using
#                            servers the first one started points here at the first one's file

credentials_file() { printf '%s\n' "${LIKES_CREDENTIALS_FILE:-$(_local_dir)/auth/credentials.env}"; }

credentials_enabled() { [[ "${LIKES_LOCAL_AUTH:-on}" != off ]]; }

declare -gA _LIKES_CREDENTIALS=()

# likes-admin [NAME=value...] -- <args>: runs likes-admin with those variables set, building it first when its
# sources changed (servers start before the fleet is built).
likes_admin() {
    local root dll log env=()
    while (($# > 0)) && [[ "$1" != -- ]]; do env+=("$1"); shift; done
    shift
    root="$(likes_root)"; dll="$(_dll Likes.Admin)"; log="$(_log_file build)"
    if [[ ! -f "$dll" || -n "$(find "$root/admin" "$root/shared" \( -name '*.cs' -o -name '*.sql' -o -name '*.csproj' \) -newer "$dll" -print -quit)" ]]; then
        mkdir -p "$(dirname "$log")"
        dotnet build "$root/admin/Likes.Admin.csproj" -c Release -nologo -v quiet >"$log" 2>&1 || {
            grep -E "error" "$log" | sort -u | head -20 >&2
            _err "building likes-admin failed; full log in $log"
            return 1
        }
    fi
    env "${env[@]}" dotnet "$dll" "$@"
}

# Creates the passwords file once, and completes it when a daemon or server is added.
credentials_ensure() {
    credentials_enabled || return 0
    local f
    f="$(credentials_file)"
    mkdir -p "$(dirname "$f")"
    likes_admin -- access credentials "$f" >/dev/null || { _err "could not write $f"; return 1; }
    _LIKES_CREDENTIALS=()
}

# Reads the passwords file into _LIKES_CREDENTIALS (never exported: each process gets only its own).
_credentials_load() {
    ((${#_LIKES_CREDENTIALS[@]} > 0)) && return 0
    local f name value
    f="$(credentials_file)"
    [[ -r "$f" ]] || return 1
    while IFS='=' read -r name value; do
        [[ "$name" =~ ^LIKES_[A-Z]+_[A-Z]+_PASSWORD$ && -n "$value" ]] && _LIKES_CREDENTIALS["$name"]="$value"
    done <"$f"
    ((${#_LIKES_CREDENTIALS[@]} > 0))
}

# credential <VARIABLE>: one password, or nothing.
credential() {
    _credentials_load || return 0
    printf '%s' "${_LIKES_CREDENTIALS[$1]:-}"
}

# Every password as NAME=value lines: the environment of likes-admin (it writes the servers' side).
credentials_all_env() {
    _credentials_load || return 0
    local name
    for name in "${!_LIKES_CREDENTIALS[@]}"; do
        printf '%s=%s\n' "$name" "${_LIKES_CREDENTIALS[$name]}"
    done
}

# True when the running NATS / Redis refuses anonymous clients (started with the credentials).
nats_requires_auth() {
    curl -fsS --max-time 1 "http://127.0.0.1:${LIKES_NATS_MONITOR_PORT:-8222}/varz" 2>/dev/null | grep -q '"auth_required": *true'
}

redis_requires_auth() {
    [[ "$(redis-cli -h 127.0.0.1 -p "${LIKES_REDIS_PORT:-6379}" ping 2>&1 </dev/null)" == NOAUTH* ]]
}

# credentials_daemon_env <daemon>: NAME=value lines a daemon starts with: its own user on each server that
# requires one, and its own PostgreSQL role (the grants hold even where the local server trusts logins).
credentials_daemon_env() {
    local daemon="$1" upper nats redis postgres
    credentials_enabled && _credentials_load || return 0
    upper="${daemon^^}"
    nats="$(credential "LIKES_${upper}_NATS_PASSWORD")"
    redis="$(credential "LIKES_${upper}_REDIS_PASSWORD")"
    postgres="$(credential "LIKES_${upper}_POSTGRES_PASSWORD")"
    if [[ -n "$nats" ]] && nats_requires_auth; then
        printf '%s\n' "LIKES_NATS_USER=likes_$daemon" "LIKES_NATS_PASSWORD=$nats"
    fi
    if [[ -n "$redis" ]] && redis_requires_auth; then
        printf '%s\n' "LIKES_REDIS_USER=likes_$daemon" "LIKES_REDIS_PASSWORD=$redis"
    fi
    if [[ -n "$postgres" ]]; then
        printf '%s\n' "LIKES_POSTGRES_USER=likes_$daemon" "LIKES_POSTGRES_PASSWORD=$postgres"
    fi
}

# NAME=value lines for tools that act as the admin (likes-admin, the demo and benchmarks): the admin user on
# NATS and Redis where they require one. PostgreSQL's admin is the `likes` role of LIKES_POSTGRES.
credentials_admin_env() {
    _credentials_load || return 0
    local nats redis
    nats="$(credential LIKES_ADMIN_NATS_PASSWORD)"
    redis="$(credential LIKES_ADMIN_REDIS_PASSWORD)"
    if [[ -n "$nats" ]] && nats_requires_auth; then
        printf '%s\n' "LIKES_NATS_USER=likes_admin" "LIKES_NATS_PASSWORD=$nats" \
            "LIKES_NATS_URL=$(client_nats_urls "likes_admin:$nats")"
    fi
    if [[ -n "$redis" ]] && redis_requires_auth; then
        printf '%s\n' "LIKES_REDIS=$(client_redis_endpoints),user=likes_admin,password=$redis"
    fi
}

# The daemons' PostgreSQL passwords, for `likes-admin logins` to give their roles.
credentials_postgres_logins_env() {
    credentials_all_env | grep -E '^LIKES_[A-Z]+_POSTGRES_PASSWORD=' || true
}

# The test fixtures act as the admin: LIKES_TEST_NATS / LIKES_TEST_REDIS (tests/Likes.Fixtures/TestServers.cs)
# carry its credentials when the servers require them, unless already set.
credentials_export_tests() {
    _credentials_load || return 0
    local nats redis
    nats="$(credential LIKES_ADMIN_NATS_PASSWORD)"
    redis="$(credential LIKES_ADMIN_REDIS_PASSWORD)"
    if [[ -z "${LIKES_TEST_NATS:-}" && -n "$nats" ]] && nats_requires_auth; then
        export LIKES_TEST_NATS="$(client_nats_urls "likes_admin:$nats")"
    fi
    if [[ -z "${LIKES_TEST_REDIS:-}" && -n "$redis" ]] && redis_requires_auth; then
        export LIKES_TEST_REDIS="$(client_redis_endpoints),user=likes_admin,password=$redis"
    fi
}

# redis-cli as the admin when Redis requires it (the password through the environment, not the command line).
redis_admin_cli() {
    local password
    password="$(credential LIKES_ADMIN_REDIS_PASSWORD)"
    if [[ -n "$password" ]] && redis_requires_auth; then
        REDISCLI_AUTH="$password" redis-cli --no-auth-warning --user likes_admin -h 127.0.0.1 -p "${LIKES_REDIS_PORT:-6379}" "$@"
    else
        redis-cli -h 127.0.0.1 -p "${LIKES_REDIS_PORT:-6379}" "$@"
    fi
}

# credentials_server_config nats-config|redis-acl <file>: a server's users, written before it starts.
credentials_server_config() {
    local env=()
    mapfile -t env < <(credentials_all_env)
    likes_admin "${env[@]}" -- access "$1" "$2" >/dev/null || { _err "likes-admin access $1 failed"; return 1; }
}
