#!/usr/bin/env bash
# Runs every HitlConsole test: installs what the suite needs when missing (Debian chromium-headless-shell and
# chromium, PostgreSQL, sqlite3), starts a throwaway PostgreSQL on loopback, runs `dotnet test`, stops PostgreSQL,
# and ends with one line: "N passed, N failed, N skipped". (CI runs the benchmarks' quick mode after
# this, as a step of its own: .ci/run.)
# Extra arguments go to `dotnet test` (for example: ./test.sh --filter "FullyQualifiedName~Tenancy").
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. What the suite needs, installed in the background while the solution builds: the build keeps less than one of
#    the two cores busy, so the install costs no time of its own.
needs=()
command -v chromium-headless-shell >/dev/null || needs+=(chromium-headless-shell) # the browser journeys
command -v chromium >/dev/null || needs+=(chromium) # the one journey with desktop notifications
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || needs+=(postgresql)
command -v sqlite3 >/dev/null || needs+=(sqlite3) # the knowledge import benchmark's baseline
install_pid=""
if [ ${#needs[@]} -gt 0 ]; then
  echo "test.sh: installing Debian ${needs[*]} while the solution builds"
  apt_install "${needs[@]}" & install_pid=$!
fi
# Release: the tests run the optimised code that ships, and the Dockerfile's publish (Build/PublishedBuildTests) and
# the benchmarks (.ci/run) then reuse this build instead of compiling the app a second time.
dotnet build HitlConsole.sln -c Release --nologo
# Packages before PostgreSQL starts: upgrading PostgreSQL under a running cluster breaks it.
[ -z "$install_pid" ] || wait "$install_pid" || { echo "test.sh: installing ${needs[*]} failed"; exit 1; }

# 2. A throwaway PostgreSQL on loopback (postgres refuses to run as root, so it runs as 'postgres').
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/hitl-pg.XXXXXX)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
stop_pg() {
  run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDIR"
}
trap stop_pg EXIT
run_pg "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-h 127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
export HITL_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=postgres"
echo "test.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"

# 3. Every test, with TRX results to count from.
RESULTS=$(pwd)/TestResults
rm -rf "$RESULTS"
set +e
# A test that hangs (an await nothing completes) would otherwise hold the run until CI's limit: after 10 minutes without an
# end the test host is stopped, the run fails, and blame's Sequence file names the test that was running.
dotnet test HitlConsole.sln -c Release --no-build --nologo --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --blame-hang-timeout 10m --blame-hang-dump-type none --results-directory "$RESULTS" "$@"
status=$?
set -e

# 4. The failed tests by name, then the closing line, summed from the TRX files.
python3 - "$RESULTS" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0)) + int(c.get("inconclusive", 0))
    summary = ET.parse(f).getroot().find("t:ResultSummary", ns)
    if summary.get("outcome") not in ("Completed", "Passed", "Warning") and not int(c.get("failed", 0)):
        # The test host stopped before the end (a hang past the blame timeout, or a crash): count it as a failure.
        info = " | ".join(t.text.strip() for t in summary.iterfind("t:RunInfos/t:RunInfo/t:Text", ns) if t.text)
        print(f"FAILED the test host stopped early ({summary.get('outcome')}): {info[:1500]}")
        failed += 1
    # Failures are repeated here, next to the closing line, because CI logs are often read from the tail.
    for r in ET.parse(f).getroot().iterfind("t:Results/t:UnitTestResult", ns):
        if r.get("outcome") not in ("Passed", "NotExecuted"):
            msg = r.find("t:Output/t:ErrorInfo/t:Message", ns)
            lines = [l.strip() for l in (msg.text or "").strip().splitlines() if l.strip()] if msg is not None else []
            stack = r.find("t:Output/t:ErrorInfo/t:StackTrace", ns)
            # The test's own frames say which step failed; Playwright's call log says what it waited for.
            ours = [l.strip() for l in (stack.text or "").splitlines() if "HitlConsole.Tests" in l and ":line " in l][:3] if stack is not None else []
            print(f"FAILED {r.get('testName')} ({r.get('duration')}): " + " | ".join(lines[:12])[:1500])
            for frame in ours:
                print(f"    {frame}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
