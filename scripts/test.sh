#!/usr/bin/env bash
# Runs every test project against the real servers and ends with "N passed, N failed".
# tests_run [filter]: only the tests the filter selects (dotnet test --filter syntax; a bare word matches names).

tests_run() {
    local filter=${1:-} results log
    results="$(likes_root)/.local/test-results"
    log="$(_log_file test)"
    rm -rf "$results"
    mkdir -p "$results"
    servers_up
    tools_install
    local refusals_mark
    refusals_mark="$(_refusals_mark)"
    : >"$results/started"
    # Tests build their own stream, key prefix and database per fixture: a running dev stack is untouched.
    # The whole solution is built first: some tests start daemons (not their dependencies) as processes.
    # LIKES_JWT_KEY is the fleet's, not the tests': a test that starts an edge without a key must see none.
    local status
    {
        local rc=0
        echo "likes: building the solution (Release)"
        dotnet build "$(likes_root)/Workers.sln" -c Release -nologo -v quiet || rc=$?
        if [[ $rc -eq 0 ]]; then
            [[ -z $filter || $filter == *[=~\&\|]* ]] || filter="FullyQualifiedName~$filter"
            echo "likes: running the tests${filter:+ selected by $filter}"
            env -u LIKES_JWT_KEY dotnet test "$(likes_root)/Workers.sln" -c Release --no-build -nologo \
                ${filter:+--filter "$filter"} --logger "console;verbosity=normal" || rc=$?
        fi
        echo "$rc" >"$results/exit-code"
    } 2>&1 | tee "$log" | _test_progress | cut -c1-300 || true
    status="$(cat "$results/exit-code" 2>/dev/null || echo 1)"
    # Each test assembly ends with a summary block: "Total tests: 57", "     Passed: 57", "     Failed: 0"...
    local passed failed
    passed=$(awk '/^ +Passed: [0-9]+$/ { n += $2 } END { print n + 0 }' "$log")
    failed=$(awk '/^ +Failed: [0-9]+$/ { n += $2 } END { print n + 0 }' "$log")
    if [[ $status -ne 0 && $failed -eq 0 ]]; then
        # A build error or a crashed test host: count it, so the run cannot look green.
        failed=1
        echo "dotnet test exited $status; see $log" >&2
    fi
    if [[ $passed -eq 0 && $failed -eq 0 ]]; then
        failed=1
        echo "no test ran; see $log" >&2
    fi
    # A daemon refused by its own grants may still pass its tests (a recovery path skipped, a retry that worked).
    local refused
    refused="$(_refusals_since "$refusals_mark" "$results/started")"
    if [[ -n "$refused" ]]; then
        failed=$((failed + 1))
        echo "--- a server refused a Likes user during the tests (a grant missing):"
        printf '%s\n' "$refused" | head -n 20 | cut -c1-300
        echo "---"
    fi
    if [[ $failed -gt 0 ]]; then
        _failure_messages "$log"
    fi
    echo "${passed} passed, ${failed} failed"
    [[ $failed -eq 0 ]]
}

# What a run shows while it goes (it takes minutes): each test project as it starts and ends, how many of its tests
# passed so far every LIKES_TEST_PROGRESS_EVERY passes, each failed or skipped test, and build errors.
# Test names begin with their project's name (the namespace is the assembly's), which is how a pass is counted; a
# project's own summary block ("Total tests", "Passed", "Failed", "Total time") follows xUnit's "Finished: <name>".
_test_progress() {
    awk -v every="${LIKES_TEST_PROGRESS_EVERY:-25}" '
        function project(name) { return match(name, /^[A-Za-z0-9_.]+\.Tests/) ? substr(name, 1, RLENGTH) : "" }
        /^likes: / { print; fflush(); next }
        /^\[xUnit\.net [0-9:.]+\] +Starting: / { print "running " $NF; fflush(); next }
        /^\[xUnit\.net [0-9:.]+\] +Finished: / { finished[++last] = $NF; next }
        /^ +Passed [A-Za-z_]/ {
            p = project($2); passed[p]++; total++
            if (passed[p] % every == 0) { printf "        %s: %d passed so far (%d in all)\n", p, passed[p], total; fflush() }
            next
        }
        /^ +Failed [A-Za-z_]/ { print; fflush(); next }
        /^ +Skipped [A-Za-z_]/ || /error (CS|MSB|NU|NETSDK)/ { print; fflush(); next }
        /^Total tests: [0-9]+$/ { summary = 1; ok = 0; ko = 0; next }
        summary && /^ +Passed: [0-9]+$/ { ok = $2; next }
        summary && /^ +Failed: [0-9]+$/ { ko = $2; next }
        summary && /^ +Total time: / {
            summary = 0; p = (first < last) ? finished[++first] : "a test project"
            printf "done    %s: %d passed, %d failed (%d passed in all so far)\n", p, ok, ko, total
            fflush()
        }
    '
}

# Each failed test's error message (not its stack trace), so a CI log says why without the full log file.
# A scenario's message can be long (the fault suite's state of every consumer): capped per test.
_failure_messages() {
    local log=$1 max_lines=${LIKES_TEST_FAILURE_LINES:-80}
    echo "--- why each test failed (full output: $log)"
    awk -v max="$max_lines" '
        /^ +Failed [A-Za-z_]/ { name = $0; next }
        /^ +Error Message:/ { on = 1; n = 0; print name; next }
        /^ +Stack Trace:/ { if (on && n > max) print "    ... " n - max " more lines in the log"; on = 0; next }
        on { if (++n <= max) print substr($0, 1, 300) }
    ' "$log"
    echo "---"
}

# Where the shared servers' refusals stand before the tests: the NATS log's length; Redis's ACL LOG is emptied.
_refusals_mark() {
    local nats
    nats="$(_log_file nats)"
    redis_admin_cli ACL LOG RESET >/dev/null 2>&1 || true
    stat -c %s "$nats" 2>/dev/null || echo 0
}

# What the servers refused a Likes user since the mark: NATS permission violations in the shared server's log (the
# tests act there as the admin, who may do anything) and in the fault suite's (whose daemons log in as themselves), and
# Redis ACL denials of a likes_* user. The security tests' own servers, which refuse on purpose, are not read.
_refusals_since() {
    local mark="$1" started="$2" nats faults
    nats="$(_log_file nats)"
    faults="$(likes_root)/.local/faults/logs/nats.log"
    [[ -f "$nats" ]] && tail -c +"$((mark + 1))" "$nats" | grep -a 'Violation' || true
    # The fault suite starts its stack with empty logs: its log counts only when this run wrote it.
    [[ "$faults" -nt "$started" ]] && grep -a 'Violation' "$faults" || true
    redis_admin_cli ACL LOG 1000 2>/dev/null | awk '
        prev == "object" { object = $0 }
        prev == "username" && $0 ~ /^likes_/ && object != "config|get" { print "redis ACL: " $0 " refused " object }
        { prev = $0 }' || true
}
