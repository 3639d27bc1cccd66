#!/usr/bin/env bash
# Runs every test project against the real servers and ends with "N passed, N failed".

tests_run() {
    local results log
    results="$(likes_root)/.local/test-results"
    log="$(_log_file test)"
    rm -rf "$results"
    mkdir -p "$results"
    servers_up
    tools_install
    # Tests build their own stream, key prefix and database per fixture: a running dev stack is untouched.
    local status
    {
        local rc=0
        dotnet test "$(likes_root)/Workers.sln" -c Release -nologo \
            --logger "trx;LogFileName={assembly}.trx" --logger "console;verbosity=normal" --results-directory "$results" || rc=$?
        echo "$rc" >"$results/exit-code"
    } 2>&1 | tee "$log" | grep -E --line-buffered '^\s*(Failed|Skipped) |Passed!|Failed!|error (CS|MSB|NU|NETSDK)' | cut -c1-300 || true
    status="$(cat "$results/exit-code" 2>/dev/null || echo 1)"
    local passed=0 failed=0 skipped=0 f p x s
    for f in "$results"/*.trx; do
        [[ -f "$f" ]] || continue
        p=$(grep -o '<Counters [^>]*' "$f" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*' || echo 0)
        x=$(grep -o '<Counters [^>]*' "$f" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*' || echo 0)
        s=$(grep -o '<Counters [^>]*' "$f" | grep -o ' notExecuted="[0-9]*"' | grep -o '[0-9]*' || echo 0)
        passed=$((passed + p)); failed=$((failed + x)); skipped=$((skipped + s))
    done
    if [[ $status -ne 0 && $failed -eq 0 ]]; then
        # A build error or a crashed test host: count it, so the run cannot look green.
        failed=1
        echo "dotnet test exited $status; see $log" >&2
    fi
    if [[ $passed -eq 0 && $failed -eq 0 ]]; then
        failed=1
        echo "no test ran; see $log" >&2
    fi
    echo "${passed} passed, ${failed} failed"
    [[ $failed -eq 0 ]]
}
