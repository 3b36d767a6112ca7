# The Java side of the layer45 launchers: finding a Java 25 runtime and the JVM flags of the runtime and the
# client. Sourced by ./layer45 (through scripts/toolchain.sh) in a source checkout, and by the installed
# /usr/bin/layer45, which carries this file as /usr/share/layer45/java.sh.
#
#   find_java        prints a java binary of version 25 or newer (JAVA_HOME, then /usr/lib/jvm)
#   runtime_flags    prints the runtime's JVM flags, one a line
#   client_flags     prints the client's JVM flags, one a line

LAYER45_JDK_HINT="/usr/lib/jvm/temurin-25-jdk-amd64"

# Prints the feature version of a java binary (17, 25, ...), or nothing.
java_version() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

# Prints a Java home of version 25 or newer: JAVA_HOME, then the Temurin location, then any under /usr/lib/jvm.
# With "jdk" as argument only a JDK (with javac) counts.
find_java_home() {
    local candidate version
    for candidate in "${JAVA_HOME:-}" "$LAYER45_JDK_HINT" /usr/lib/jvm/*; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
        [ "${1:-}" != jdk ] || [ -x "$candidate/bin/javac" ] || continue
        version="$(java_version "$candidate/bin/java")"
        if [ -n "$version" ] && [ "$version" -ge 25 ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    return 1
}

# Prints a java binary of version 25 or newer, or says what to install and fails.
find_java() {
    local home
    if ! home="$(find_java_home)"; then
        printf '%s\n' "layer45: no Java 25 found (JAVA_HOME=${JAVA_HOME:-unset}, $LAYER45_JDK_HINT, /usr/lib/jvm/*)." \
            "  layer45 needs Java 25 (it uses the FFM API and virtual threads). Install Eclipse Temurin 25:" \
            "    https://adoptium.net/installation/linux/  (Debian/Ubuntu: apt-get install temurin-25-jdk)" \
            "  or point JAVA_HOME at any Java 25." >&2
        return 1
    fi
    printf '%s\n' "$home/bin/java"
}

# JVM flags for the runtime on Java 25: native access for TUN through FFM, no sun.misc.Unsafe use by Felix,
# one-line log records.
runtime_flags() {
    printf '%s\n' \
        --enable-native-access=ALL-UNNAMED \
        --sun-misc-unsafe-memory-access=deny \
        --add-opens=java.base/java.net=ALL-UNNAMED \
        '-Djava.util.logging.SimpleFormatter.format=%1$tF %1$tT %4$-7s %3$s: %5$s%6$s%n'
}

# JVM flags for the runtime as a daemon, without a console: Gogo's console stays off (no terminal, no login
# profile: the shell is reached through the control socket), given a folder holding an empty etc/gosh_profile.
daemon_flags() {
    printf '%s\n' \
        '-Dgosh.args=--nointeractive --noshutdown' \
        -Dorg.jline.terminal.dumb=true \
        "-Dgosh.home=$1"
}

# JVM flags for the short-lived client: the quick JIT tier and the serial collector start fastest.
client_flags() {
    printf '%s\n' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
}
