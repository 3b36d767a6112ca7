#!/usr/bin/env bash
# Runs the chain micro-benchmark (layer45.bench.ChainBenchmark, JMH) and records it in docs/benchmarks.md.
#
#   bench/chain.sh            full run (2 forks, 3 x 1 s warm-up, 5 x 1 s measurement; about 3.5 minutes on 2 cores),
#                             prints the Markdown table and replaces the chain section of docs/benchmarks.md
#   bench/chain.sh --quick    smoke run (1 fork, short iterations; under a minute): prints the table, leaves the
#                             docs alone
#   bench/chain.sh [--quick] -- JMH_ARGS...   extra JMH arguments, e.g. -- -p scenario=pass
#
# Needs JDK 25 (JAVA_HOME, or /usr/lib/jvm/temurin-25-jdk-amd64), Maven and python3. Builds what it needs first
# (mvn install of bench and the modules it depends on, skipping tests). JMH's progress goes to stderr and to
# bench/target/chain.log; the results to bench/target/chain.json; the table to stdout.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parse_args -- "$@"
setup_bench

# --- build and class path -------------------------------------------------------------------------------------
install_bench bench/target/chain-build.log
[[ -f bench/target/classes/META-INF/BenchmarkList ]] || {
    echo "chain.sh: bench/target/classes/META-INF/BenchmarkList is missing: the JMH annotation processor did not" \
        "run" >&2
    exit 1
}
cp="bench/target/classes:$(cat "$classpath_file")"

# --- run ------------------------------------------------------------------------------------------------------
json=bench/target/chain.json
jmh_args=(layer45.bench.ChainBenchmark -foe true -prof gc -rf json -rff "$json")
if $quick; then
    jmh_args+=(-f 1 -wi 2 -w 500ms -i 3 -r 500ms)
fi
jmh_args+=("${extra[@]}")
rm -f "$json"
echo "chain.sh: running JMH (log: bench/target/chain.log)" >&2
start=$(date +%s)
"$java" -cp "$cp" org.openjdk.jmh.Main "${jmh_args[@]}" 2>&1 | tee bench/target/chain.log >&2
elapsed=$(($(date +%s) - start))
[[ -s "$json" ]] || { echo "chain.sh: JMH wrote no results to $json" >&2; exit 1; }

# --- report ---------------------------------------------------------------------------------------------------
invocation="$(invocation_text)"
report_args=(--json "$json" --elapsed "$elapsed" --invocation "$invocation"
    --command "java -cp bench/target/classes:\$(cat bench/target/classpath.txt) org.openjdk.jmh.Main ${jmh_args[*]}")
if $quick || ((${#extra[@]})); then
    report_args+=(--no-docs) # a smoke or partial run is not a result to record
else
    report_args+=(--docs docs/benchmarks.md)
fi
python3 bench/chain_report.py "${report_args[@]}"
