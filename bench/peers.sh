#!/usr/bin/env bash
# Runs the peers benchmark (layer45.bench.PeersBenchmark): layer45 beside what a user would pick instead, on this
# machine in one run: the kernel over a veth pair (the ceiling), the layer45 runtime (tap only, and at both ends
# with the original's tag pairs), pasta and slirp4netns. Bulk TCP (iperf3, both directions, MTU 1500 and 65520),
# batch DNS (dig against dnsmasq), TCP and UDP request/response latency, new TCP connections per second, 10,000
# concurrent flows with the runtime's memory, and hot loading. Writes a Markdown table and PNG plots.
#
#   bench/peers.sh            full run (3 repetitions, 4 s bulk runs, 1000 dig queries; about 20 minutes): prints the
#                             table, replaces the peers section of docs/benchmarks.md and writes docs/img/peers-*.png
#   bench/peers.sh --quick    smoke run (1 repetition, 2 s bulk runs, 100 queries, 2,000 flows; a few minutes):
#                             prints the table and writes the plots under bench/target/img; leaves the docs alone
#   bench/peers.sh [--quick] -- ARGS...   extra benchmark arguments (not recorded in the docs), e.g.
#                             -- --workloads bulk --paths veth,layer45 --mtus 65520 --directions down
#   bench/peers.sh --profile [-- ARGS...]   where the runtime's time goes: the benchmark with ARGS (default: bulk
#                             down through layer45, tap only, both ends and tagged, both MTUs, 1 repetition of 8 s),
#                             each layer45 measurement recorded by JFR (bench/target/peers-jfr/*.jfr); prints
#                             bench/peers_profile.py's tables and, unless --quick, replaces the peers-profile section
#                             of docs/benchmarks.md (about 3 minutes)
#
# Needs root (network namespaces, veth devices, the runtime's TUN links; all removed again, on failure and Ctrl-C
# too), JDK 25, Maven, iproute2, iperf3, pasta (passt), slirp4netns, dig, dnsmasq (scripts/deps.sh installs them),
# and /usr/bin/python3 with matplotlib (python3-matplotlib) for the report. Builds what it needs first (mvn package of
# bench, the runnable runtime jar, the command-line client and the tag customizations, skipping tests). Progress goes
# to stderr and bench/target/peers.log, the results to bench/target/peers.json. Bounded: 40 minutes (full) or 15
# (quick) at most.
set -euo pipefail
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

parse_args --profile -- "$@"
require_root "network namespaces, veth devices and TUN links"
setup_bench
for tool in ip iperf3 pasta slirp4netns dig dnsmasq; do
    command -v "$tool" >/dev/null \
        || { echo "$name: $tool not found on PATH; scripts/deps.sh (./layer45 deps) installs it" >&2; exit 1; }
done
# The report draws its plots with matplotlib, which Debian installs for the system's python3 (python3-matplotlib),
# not for a python3 that comes first on PATH (such as pyenv's).
report_python=/usr/bin/python3
if ! "$report_python" -c 'import matplotlib' 2>/dev/null; then
    echo "$name: $report_python cannot import matplotlib, which draws the plots; apt-get install python3-matplotlib" \
        "(scripts/deps.sh installs it)" >&2
    exit 1
fi

# --- build and class path -------------------------------------------------------------------------------------
package_bench bench/target/peers-build.log cnf layer45.cli customizations/bulk-tag customizations/dns-tag \
    customizations/echo-tag
cp="bench/target/classes:$(cat "$classpath_file")"

# --- run ------------------------------------------------------------------------------------------------------
json=bench/target/peers.json
log=bench/target/peers.log
bench_args=(--json "$json" --root .) # setup_bench made the checkout the working directory
limit=2400
quick_args=()
if $quick; then
    quick_args=(--repeats 1 --seconds 2 --omit 1 --dns-queries 100 --rr-count 2000 --cps-seconds 2 --flows 2000)
    limit=900
fi
jvm_flags=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=deny)
rm -f "$json"
install_bench_cleanup l45pb-
: >"$log"
load_before="$(cat /proc/loadavg)"

if $profile; then
    # One JFR recording of the runtime per measurement through layer45 (jcmd starts and dumps it around the client).
    jfr_dir=bench/target/peers-jfr
    rm -rf "$jfr_dir"
    mkdir -p "$jfr_dir"
    profile_args=(--workloads bulk --paths layer45,layer45-both,layer45-tags --directions down --repeats 1 --seconds 8)
    ((${#extra[@]})) && profile_args=("${extra[@]}")
    echo "$name: profiling the runtime (recordings in $jfr_dir)" >&2
    run_bounded "$limit" "$log" "$java" "${jvm_flags[@]}" -cp "$cp" layer45.bench.PeersBenchmark "${bench_args[@]}" \
        --jfr-dir "$jfr_dir" "${profile_args[@]}"
    docs_args=()
    $quick || docs_args=(--docs docs/benchmarks.md)
    note="- Recorded by \`bench/peers.sh --profile\` on $(date -u '+%Y-%m-%d %H:%M UTC') (PeersBenchmark"
    note+=" ${profile_args[*]}); load average before: $load_before, after: $(cat /proc/loadavg)."
    "$report_python" bench/peers_profile.py --jfr "$jdk/bin/jfr" "${docs_args[@]}" --note "$note" "$jfr_dir"/*.jfr
    exit 0
fi

bench_args+=("${quick_args[@]}" "${extra[@]}")
echo "$name: running the benchmark (log: $log; load average now: $load_before)" >&2
run_bounded "$limit" "$log" "$java" "${jvm_flags[@]}" -cp "$cp" layer45.bench.PeersBenchmark "${bench_args[@]}"
[[ -s "$json" ]] || { echo "$name: the benchmark wrote no results to $json; see $log" >&2; exit 1; }

# --- report ---------------------------------------------------------------------------------------------------
invocation="$(invocation_text)"
report_args=(--json "$json" --invocation "$invocation" --load-before "$load_before" --load-after "$(cat /proc/loadavg)"
    --chain-json bench/target/chain.json
    --command "java ${jvm_flags[*]} -cp bench/target/classes:\$(cat bench/target/classpath.txt) layer45.bench.PeersBenchmark ${bench_args[*]}")
if $quick || ((${#extra[@]})); then
    report_args+=(--no-docs --img bench/target/img) # a smoke or partial run is not a result to record
else
    report_args+=(--docs docs/benchmarks.md --img docs/img)
fi
"$report_python" bench/peers_report.py "${report_args[@]}"
