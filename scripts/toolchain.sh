# Finds the toolchain layer45 builds with; sourced by ./layer45 and the scripts under bench/.
#
#   setup_toolchain    exports JAVA_HOME (a JDK 25 or newer) and puts it first on PATH, checks for Maven;
#                      exits with what to install when something is missing

# shellcheck source=scripts/java.sh
. "$(dirname "${BASH_SOURCE[0]}")/java.sh"

setup_toolchain() {
    local jdk
    if ! jdk="$(find_java_home jdk)"; then
        printf '%s\n' "layer45: no JDK 25 found (JAVA_HOME=${JAVA_HOME:-unset}, $LAYER45_JDK_HINT, /usr/lib/jvm/*)." \
            "  layer45 needs JDK 25 (it uses the FFM API and virtual threads). Install Eclipse Temurin 25:" \
            "    https://adoptium.net/installation/linux/  (Debian/Ubuntu: apt-get install temurin-25-jdk)" \
            "  or point JAVA_HOME at any JDK 25." >&2
        exit 1
    fi
    export JAVA_HOME="$jdk"
    export PATH="$JAVA_HOME/bin:$PATH"
    if ! command -v mvn >/dev/null 2>&1; then
        echo "layer45: Maven is not installed; install Apache Maven 3.8.1 or newer (Debian/Ubuntu: apt-get install maven)." >&2
        exit 1
    fi
}
