#!/usr/bin/env bash
# Runs the UDP echo benchmark (layer45.bench.UdpEchoBenchmark) over a real TUN link and records it in
# docs/benchmarks.md.
#
#   bench/udp.sh            full run (4 sizes x 3 responders x 3 repetitions of 2 s warm-up + 5 s measurement;
#                           about 6 minutes), prints the Markdown table and replaces the udp section of
#                           docs/benchmarks.md
#   bench/udp.sh --quick    smoke run (1 repetition of 1 s + 2 s; about 1 minute): prints the table, leaves the
#                           docs alone
#   bench/udp.sh [--quick] -- ARGS...   extra benchmark arguments, e.g. -- --sizes 64 --modes ceiling,stack
#
# Needs root (it creates network namespaces and TUN devices, and removes them again), JDK 25 (JAVA_HOME, or
# /usr/lib/jvm/temurin-25-jdk-amd64), Maven, iproute2 and python3. Builds what it needs first (mvn install of bench
# and the modules it depends on, skipping tests). Progress goes to stderr and to bench/target/udp.log; the results
# to bench/target/udp.json; the table to stdout.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parse_args -- "$@"
require_root "network namespaces and TUN devices"
setup_bench
command -v ip >/dev/null || { echo "udp.sh: ip (iproute2) not found on PATH; apt-get install iproute2" >&2; exit 1; }

# --- build and class path -------------------------------------------------------------------------------------
install_bench bench/target/udp-build.log
cp="bench/target/classes:$(cat "$classpath_file")"

# --- run ------------------------------------------------------------------------------------------------------
json=bench/target/udp.json
bench_args=(--json "$json")
if $quick; then
    bench_args+=(--repeats 1 --warmup 1 --measure 2)
fi
bench_args+=("${extra[@]}")
jvm_flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=deny)
rm -f "$json"
echo "udp.sh: running the benchmark (log: bench/target/udp.log)" >&2
"$java" "${jvm_flags[@]}" -cp "$cp" layer45.bench.UdpEchoBenchmark "${bench_args[@]}" 2>&1 \
    | tee bench/target/udp.log >&2
[[ -s "$json" ]] || { echo "udp.sh: the benchmark wrote no results to $json; see bench/target/udp.log" >&2; exit 1; }

# --- report ---------------------------------------------------------------------------------------------------
invocation="$(invocation_text)"
report_args=(--json "$json" --invocation "$invocation"
    --command "java ${jvm_flags[*]} -cp bench/target/classes:\$(cat bench/target/classpath.txt) layer45.bench.UdpEchoBenchmark ${bench_args[*]}")
if $quick || ((${#extra[@]})); then
    report_args+=(--no-docs) # a smoke or partial run is not a result to record
else
    report_args+=(--docs docs/benchmarks.md)
fi
python3 bench/udp_report.py "${report_args[@]}"
