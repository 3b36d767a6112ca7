#!/usr/bin/env bash
# Deployment time to 10, 50, 100 and 250 simulated devices through a TLS Mosquitto broker on loopback (issue 10),
# beside the original's ~30 ms per device (8.5 s for 250): layer45.itest's DeploymentBenchmarkIT, run through the
# reactor (it starts and stops its own broker and devices), prints the table and writes it to
# bench/target/deploy.md for docs/benchmarks.md.
#
#   bench/deploy.sh [SIZES]     SIZES like 10,50,100,250 (the default)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/toolchain.sh
. "$ROOT/scripts/toolchain.sh"
setup_toolchain
sizes="${1:-10,50,100,250}"
mkdir -p "$ROOT/bench/target"
out="$ROOT/bench/target/deploy.md"
rm -f "$out"
log="$(mktemp -t layer45-bench-deploy.XXXXXX.log)"
echo "layer45 bench deploy: building and running (log: $log)..." >&2
( cd "$ROOT" && mvn -B -ntp -pl layer45.itest -am verify -Djazzer.skip -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=DeploymentBenchmarkIT -Dlayer45.bench.deploy="$sizes" -Dlayer45.bench.out="$out" ) >"$log" 2>&1 \
    || { tail -n 40 "$log" >&2; echo "layer45 bench deploy: failed; the log is $log" >&2; exit 1; }
[ -s "$out" ] || { echo "layer45 bench deploy: no results (was the benchmark skipped? see $log)" >&2; exit 1; }
cat "$out"
# The table goes into docs/benchmarks.md between <!-- deploy:begin --> and <!-- deploy:end -->, text kept.
python3 - "$ROOT/docs/benchmarks.md" "$out" <<'PY'
import re, sys
doc, table = open(sys.argv[1]).read(), open(sys.argv[2]).read().strip()
section = re.search(r"<!-- deploy:begin -->.*?<!-- deploy:end -->", doc, re.S)
if section:
    old = re.search(r"\| devices \|.*?\n(?=\n)", section.group(0), re.S)
    if old:
        new = section.group(0).replace(old.group(0), table + "\n")
        doc = doc.replace(section.group(0), new)
        open(sys.argv[1], "w").write(doc)
PY
rm -f "$log"
