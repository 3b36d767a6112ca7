# What bench/tcp.sh, bench/udp.sh and bench/chain.sh share; sourced by each, right after `set -euo pipefail`.
# Every message starts with the script's name ($name).

name="$(basename "$0")"

# Prints the script's leading comment: its usage.
usage() {
    awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0" | sed 's/^# \{0,1\}//'
}

# parse_args [OPTION...] -- ARG...: sets quick, and each OPTION named (say --profile) to true when given, extra to
# what follows a `--`; answers -h and --help with the usage. Anything else is an error.
parse_args() {
    local options=()
    while (($#)) && [[ "$1" != -- ]]; do
        options+=("$1")
        printf -v "${1#--}" false
        shift
    done
    shift
    quick=false
    extra=()
    while (($#)); do
        case "$1" in
            --quick) quick=true ;;
            -h | --help) usage; exit 0 ;;
            --) shift; extra=("$@"); break ;;
            *)
                if [[ " ${options[*]} " == *" $1 "* ]]; then
                    printf -v "${1#--}" true
                else
                    echo "$name: unknown argument '$1'" >&2; usage >&2; exit 2
                fi
                ;;
        esac
        shift
    done
}

# require_root WHAT: exits unless root; WHAT says what the script creates.
require_root() {
    if [[ "$(id -u)" != 0 ]]; then
        echo "$name: needs root (it creates $1); run it with sudo" >&2
        exit 1
    fi
}

# Moves to the checkout's root and sets up JDK 25 and Maven: jdk, java.
setup_bench() {
    here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
    root="$(cd "$here/.." && pwd)"
    cd "$root"
    # shellcheck source=../scripts/toolchain.sh
    . "$root/scripts/toolchain.sh"
    setup_toolchain
    jdk="$JAVA_HOME"
    java="$jdk/bin/java"
    command -v python3 >/dev/null || { echo "$name: python3 not found on PATH" >&2; exit 1; }
}

# install_bench LOG: mvn install of bench and the modules it depends on (no tests), then its runtime class path in
# bench/target/classpath.txt; exits with the log's tail when either fails.
install_bench() {
    local build_log="$1"
    mkdir -p bench/target
    echo "$name: building bench and what it needs with $jdk (log: $build_log)" >&2
    if ! mvn -B -ntp -pl bench -am install -DskipTests -DskipITs >"$build_log" 2>&1; then
        tail -n 40 "$build_log" >&2
        echo "$name: the build failed; see $build_log" >&2
        exit 1
    fi
    classpath_file=bench/target/classpath.txt
    rm -f "$classpath_file" # the plugin keeps an existing file when it thinks nothing changed
    if ! mvn -B -ntp -pl bench dependency:build-classpath -DincludeScope=runtime \
            -Dmdep.outputFile=target/classpath.txt >>"$build_log" 2>&1; then
        tail -n 40 "$build_log" >&2
        echo "$name: could not compute the class path; see $build_log" >&2
        exit 1
    fi
}

# package_bench LOG [MODULE...]: mvn package of bench, the other MODULEs named (such as cnf for the runnable jar) and
# the modules they depend on (no tests), and bench's runtime class path in bench/target/classpath.txt, in one reactor
# build: package, not install, so the class path names this checkout's module jars and the run measures these sources
# whatever another checkout installed in the local repository meanwhile. Exits with the log's tail when the build
# fails.
package_bench() {
    local build_log="$1"
    shift
    local modules
    modules="$(IFS=,; echo "bench${*:+,$*}")"
    mkdir -p bench/target
    classpath_file=bench/target/classpath.txt
    rm -f "$classpath_file" # the plugin keeps an existing file when it thinks nothing changed
    echo "$name: building bench and what it needs with $jdk (log: $build_log)" >&2
    # -Djazzer.skip: the fuzzing agent is not needed to package, and stays out of the class path.
    if ! mvn -B -ntp -pl "$modules" -am package dependency:build-classpath -DskipTests -DskipITs -Djazzer.skip \
            -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt >"$build_log" 2>&1; then
        tail -n 40 "$build_log" >&2
        echo "$name: the build failed; see $build_log" >&2
        exit 1
    fi
}

# Prints how the run was started, for the report: bench/NAME [--quick] [-- EXTRA...].
invocation_text() {
    local text="bench/$name"
    $quick && text="bench/$name --quick"
    ((${#extra[@]})) && text+=" -- ${extra[*]}"
    printf '%s\n' "$text"
}

# Stopping a benchmark JVM and what it left: install_bench_cleanup NAMESPACE_PREFIX sets the traps; run_bounded starts
# the JVM (its pid in bench_pid). On exit, Ctrl-C or TERM the JVM gets TERM (its shutdown hook tears down what it set
# up) and 10 s, then KILL; then the namespaces named NAMESPACE_PREFIX<its pid>-... that are still there are deleted.
bench_pid=""
install_bench_cleanup() {
    bench_namespace_prefix="$1"
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

bench_cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [[ -n "$bench_pid" ]] && kill -0 "$bench_pid" 2>/dev/null; then
        kill -TERM "$bench_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$bench_pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$bench_pid" 2>/dev/null || true
    fi
    if [[ -n "$bench_pid" ]]; then
        local ns
        for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${bench_namespace_prefix}${bench_pid}-" || true); do
            echo "$name: deleting namespace $ns left by the benchmark" >&2
            ip netns del "$ns" 2>/dev/null || true
        done
    fi
    exit "$status"
}

# run_bounded LIMIT LOG COMMAND...: runs the benchmark JVM, its output appended to LOG and shown on stderr, and stops
# it (TERM, which the cleanup above completes) after LIMIT seconds; exits with its status when it fails.
run_bounded() {
    local limit="$1" log="$2"
    shift 2
    "$@" > >(tee -a "$log" >&2) 2>&1 &
    bench_pid=$!
    (
        trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
        sleep "$limit" &
        sleeper=$!
        wait "$sleeper"
        kill -TERM "$bench_pid" 2>/dev/null && echo "$name: stopped after $limit s" >&2
    ) &
    local watchdog=$! status=0
    wait "$bench_pid" || status=$?
    kill "$watchdog" 2>/dev/null || true
    wait "$watchdog" 2>/dev/null || true
    if ((status != 0)); then
        echo "$name: the benchmark failed (exit $status); see $log" >&2
        exit "$status"
    fi
}
