# shellcheck shell=bash
# Tools the chart tests (tests/Likes.Helm.Tests) call: promtool, yamllint, the Node packages of the
# values-schema check, and Redocly's linter of docs/openapi.json. Sourced by ./likes (after servers.sh); safe under `set -euo pipefail`.
#
#   tools_install    installs what is missing, quietly; does nothing (no apt-get update) when all is there
#   tools_node_dir   prints where the Node packages live: .local/tools/node_modules (ignored with .local/)
#
# Helm itself is not installable on this machine kind (not in Debian, npm or NuGet): the chart is
# validated by the tests instead of `helm lint` (docs/operations.md).

# Pinned so every machine validates with the same rules.
LIKES_TOOLS_NPM_PACKAGES=(ajv@8.20.0 js-yaml@5.5.0 kubernetes-models@4.5.1 @redocly/cli@2.77.0)

_tools_root() {
    if declare -F likes_root >/dev/null; then
        likes_root
    else
        (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
    fi
}

tools_node_dir() { printf '%s/.local/tools\n' "$(_tools_root)"; }

_tools_err() { printf 'error: %s\n' "$*" >&2; }

# True when every pinned package is installed at its pinned version.
_tools_node_ok() {
    local dir spec name version
    dir="$(tools_node_dir)/node_modules"
    for spec in "${LIKES_TOOLS_NPM_PACKAGES[@]}"; do
        name="${spec%@*}"
        version="${spec##*@}"
        grep -q "\"version\": *\"$version\"" "$dir/$name/package.json" 2>/dev/null || return 1
    done
}

_tools_apt() {
    local sudo=() log="$1"
    shift
    if ((EUID != 0)); then
        if command -v sudo >/dev/null; then
            sudo=(sudo -n)
        else
            _tools_err "missing packages ($*) and not root; install them first"
            return 1
        fi
    fi
    # The prometheus package would start a system-wide server on :9090 from its init script: forbid it.
    local policy=/usr/sbin/policy-rc.d made_policy=0 rc=0
    if [[ ! -e "$policy" ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 0755 "$policy"
        made_policy=1
    fi
    {
        echo "=== $(date -u +%FT%TZ) apt-get install $*"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends -o Dpkg::Options::=--force-confold "$@"
    } >>"$log" 2>&1 </dev/null || rc=$?
    if ((made_policy)); then
        "${sudo[@]}" rm -f "$policy"
    fi
    if ((rc != 0)); then
        _tools_err "apt-get install $* failed (exit $rc); see $log"
        tail -n 20 "$log" >&2 || true
        return 1
    fi
}

tools_install() {
    local root logs log pkgs=()
    root="$(_tools_root)" || return 1
    logs="$root/.local/logs"
    mkdir -p "$logs"
    log="$logs/tools.log"

    command -v promtool >/dev/null || pkgs+=(prometheus)
    command -v yamllint >/dev/null || pkgs+=(yamllint)
    command -v node >/dev/null || pkgs+=(nodejs)
    command -v npm >/dev/null || pkgs+=(npm)
    if ((${#pkgs[@]} > 0)); then
        _tools_apt "$log" "${pkgs[@]}" || return 1
    fi

    if ! _tools_node_ok; then
        local dir
        dir="$(tools_node_dir)"
        mkdir -p "$dir"
        # A package.json of our own keeps npm from walking up to some other project's.
        [[ -f "$dir/package.json" ]] || printf '{ "name": "likes-tools", "private": true }\n' >"$dir/package.json"
        {
            echo "=== $(date -u +%FT%TZ) npm install ${LIKES_TOOLS_NPM_PACKAGES[*]}"
            npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${LIKES_TOOLS_NPM_PACKAGES[@]}"
        } >>"$log" 2>&1 </dev/null || {
            _tools_err "npm install ${LIKES_TOOLS_NPM_PACKAGES[*]} failed; see $log"
            tail -n 20 "$log" >&2 || true
            return 1
        }
    fi
}
