#!/usr/bin/env bash
# Runs the TCP benchmark (layer45.bench.TcpBenchmark): bulk throughput kernel -> stack and stack -> kernel over a
# real TUN link at MTU 1500 and 65520, and connections per second, beside the kernel with itself over a veth pair
# measured in the same run; records it in docs/benchmarks.md.
#
#   bench/tcp.sh            full run (bulk both ways at 2 MTUs and connections/s, x 3 responders x 3 repetitions
#                           of 2 s warm-up + 5 s measurement; about 8 minutes), prints the Markdown table and
#                           replaces the tcp section of docs/benchmarks.md
#   bench/tcp.sh --quick    smoke run (1 repetition of 1 s + 2 s; about 1 minute): prints the table, leaves the
#                           docs alone
#   bench/tcp.sh [--quick] -- ARGS...   extra benchmark arguments (not recorded in the docs), e.g.
#                           -- --tests in --mtus 65520 --responders stack --buffers 262144
#   bench/tcp.sh --profile  where the stack's loop thread spends its time: the stack responder alone, once per
#                           test and MTU under JFR (bench/target/tcp-profile-TEST-MTU.jfr; about 2 minutes); prints
#                           bench/tcp_profile.py's table and replaces the tcp-profile section of docs/benchmarks.md
#                           (with --quick too: only prints)
#
# Environment: TCP_BENCH_JVM_FLAGS adds flags to the benchmark's JVM (the one that runs the stack), e.g.
# TCP_BENCH_JVM_FLAGS=-XX:StartFlightRecording=filename=bench/target/tcp.jfr,settings=profile to profile it
# (then: jfr print --events jdk.ExecutionSample bench/target/tcp.jfr). A run with it is not recorded in the docs.
#
# Needs root (it creates network namespaces, TUN and veth devices, and removes them again, on failure and Ctrl-C
# too), JDK 25 (JAVA_HOME, or /usr/lib/jvm/temurin-25-jdk-amd64), Maven, iproute2 and python3. Builds what it needs
# first (mvn package of bench and the modules it depends on, skipping tests; the class path points at this
# checkout's module jars). Progress goes to stderr and to bench/target/tcp.log; the results to
# bench/target/tcp.json; the table to stdout. The run is bounded: 40 minutes (full) or 10 (quick) at most.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parse_args --profile -- "$@"
require_root "network namespaces, TUN and veth devices"
setup_bench
command -v ip >/dev/null || { echo "tcp.sh: ip (iproute2) not found on PATH; apt-get install iproute2" >&2; exit 1; }
command -v sysctl >/dev/null || { echo "tcp.sh: sysctl not found on PATH; apt-get install procps" >&2; exit 1; }

# --- build and class path -------------------------------------------------------------------------------------
package_bench bench/target/tcp-build.log
cp="bench/target/classes:$(cat "$classpath_file")"

# --- run ------------------------------------------------------------------------------------------------------
json=bench/target/tcp.json
log=bench/target/tcp.log
bench_args=(--json "$json")
limit=2400
if $quick; then
    bench_args+=(--repeats 1 --warmup 1 --measure 2 --jvm-warmup 2)
    limit=600
fi
bench_args+=("${extra[@]}")
jvm_flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=deny)
read -r -a user_flags <<<"${TCP_BENCH_JVM_FLAGS:-}"
rm -f "$json"

install_bench_cleanup l45tb-

# Runs the benchmark with extra JVM flags (first argument, one string) and benchmark arguments (the rest), bounded.
run_bench() {
    local flags
    read -r -a flags <<<"$1"
    shift
    run_bounded "$limit" "$log" "$java" "${jvm_flags[@]}" "${user_flags[@]}" "${flags[@]}" -cp "$cp" \
        layer45.bench.TcpBenchmark "$@"
}

: >"$log"
if $profile; then
    recordings=()
    for cell in in:1500 in:65520 out:1500 out:65520 cps:1500; do
        test="${cell%%:*}" mtu="${cell##*:}"
        jfr_file="bench/target/tcp-profile-$test-$mtu.jfr"
        rm -f "$jfr_file"
        echo "tcp.sh: profiling $test at MTU $mtu (recording: $jfr_file)" >&2
        run_bench "-XX:StartFlightRecording=filename=$jfr_file,settings=profile" \
            --json "bench/target/tcp-profile-$test-$mtu.json" --tests "$test" --mtus "$mtu" --cps-mtus "$mtu" \
            --responders stack --repeats 1 --warmup 2 --measure 6 --jvm-warmup 2 "${extra[@]}"
        recordings+=("$test-$mtu=$jfr_file")
    done
    profile_args=(--jfr "$jdk/bin/jfr" --note "- Recorded by \`bench/tcp.sh --profile\` on $(date -u '+%Y-%m-%d %H:%M UTC'), stack buffers as in the table above; each recording spans one run of the stack responder (JIT warm-up, 2 s warm-up, 6 s measured).")
    if ! $quick && ((${#extra[@]} == 0)); then
        profile_args+=(--docs docs/benchmarks.md)
    fi
    python3 bench/tcp_profile.py "${profile_args[@]}" "${recordings[@]}"
    exit 0
fi

echo "tcp.sh: running the benchmark (log: $log)" >&2
run_bench "" "${bench_args[@]}"
[[ -s "$json" ]] || { echo "tcp.sh: the benchmark wrote no results to $json; see $log" >&2; exit 1; }

# --- report ---------------------------------------------------------------------------------------------------
invocation="$(invocation_text)"
report_args=(--json "$json" --invocation "$invocation"
    --command "java ${jvm_flags[*]} -cp bench/target/classes:\$(cat bench/target/classpath.txt) layer45.bench.TcpBenchmark ${bench_args[*]}")
if $quick || ((${#extra[@]})) || [[ -n "${TCP_BENCH_JVM_FLAGS:-}" ]]; then
    report_args+=(--no-docs) # a smoke, partial or profiled run is not a result to record
else
    report_args+=(--docs docs/benchmarks.md)
fi
python3 bench/tcp_report.py "${report_args[@]}"
