#!/usr/bin/env bash
# Runs the owner lookup benchmark (layer45.bench.OwnerBenchmark): microseconds per lookup of the process and
# thread owning a flow's socket in a namespace of N idle processes, cold (a /proc scan each) and warm (the cache),
# TCP and UDP; records it in docs/benchmarks.md.
#
#   bench/owner.sh            full run (N = 10, 100, 1000 processes; 40 cold and 2000 warm lookups per transport;
#                             about a minute), prints the Markdown table and replaces the owner section of
#                             docs/benchmarks.md
#   bench/owner.sh --quick    smoke run (N = 10, 50; 10 cold and 200 warm lookups; under 30 s once built): prints
#                             the table, leaves the docs alone
#   bench/owner.sh [--quick] -- ARGS...   extra benchmark arguments (not recorded in the docs), e.g.
#                             -- --processes 2000 --cold 100
#
# Needs root (it creates network namespaces and removes them again, on failure and Ctrl-C too), JDK 25 (JAVA_HOME,
# or /usr/lib/jvm/temurin-25-jdk-amd64), Maven, iproute2 and python3. Builds what it needs first (mvn package of
# bench and the modules it depends on, skipping tests). Progress goes to stderr and to bench/target/owner.log; the
# results to bench/target/owner.json; the table to stdout.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parse_args -- "$@"
require_root "network namespaces"
setup_bench
command -v ip >/dev/null || { echo "owner.sh: ip (iproute2) not found on PATH; apt-get install iproute2" >&2; exit 1; }

# --- build and class path -------------------------------------------------------------------------------------
package_bench bench/target/owner-build.log
cp="bench/target/classes:$(cat "$classpath_file")"

# --- run ------------------------------------------------------------------------------------------------------
json=bench/target/owner.json
bench_args=(--json "$json")
if $quick; then
    bench_args+=(--processes 10,50 --cold 10 --warm 200)
fi
bench_args+=("${extra[@]}")
jvm_flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=deny)
rm -f "$json"
echo "owner.sh: running the benchmark (log: bench/target/owner.log)" >&2
timeout 600 "$java" "${jvm_flags[@]}" -cp "$cp" layer45.bench.OwnerBenchmark "${bench_args[@]}" 2>&1 \
    | tee bench/target/owner.log >&2
[[ -s "$json" ]] || { echo "owner.sh: the benchmark wrote no results to $json; see bench/target/owner.log" >&2; exit 1; }

# --- report ---------------------------------------------------------------------------------------------------
invocation="$(invocation_text)"
report_args=(--json "$json" --invocation "$invocation"
    --command "java ${jvm_flags[*]} -cp bench/target/classes:\$(cat bench/target/classpath.txt) layer45.bench.OwnerBenchmark ${bench_args[*]}")
if $quick || ((${#extra[@]})); then
    report_args+=(--no-docs) # a smoke or partial run is not a result to record
else
    report_args+=(--docs docs/benchmarks.md)
fi
python3 bench/owner_report.py "${report_args[@]}"
