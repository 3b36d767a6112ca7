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

# package_bench LOG: mvn package of bench and the modules it depends on (no tests) and its runtime class path in
# bench/target/classpath.txt, in one reactor build: package, not install, so the class path names this checkout's
# module jars and the run measures these sources whatever another checkout installed in the local repository
# meanwhile. Exits with the log's tail when the build fails.
package_bench() {
    local build_log="$1"
    mkdir -p bench/target
    classpath_file=bench/target/classpath.txt
    rm -f "$classpath_file" # the plugin keeps an existing file when it thinks nothing changed
    echo "$name: building bench and what it needs with $jdk (log: $build_log)" >&2
    if ! mvn -B -ntp -pl bench -am package dependency:build-classpath -DskipTests -DskipITs -DincludeScope=runtime \
            -Dmdep.outputFile=target/classpath.txt >"$build_log" 2>&1; then
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
