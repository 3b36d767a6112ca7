#!/usr/bin/env bash
# Installs the Debian packages layer45 runs and tests with; sourced by ./layer45, or run on its own.
#
#   ensure_debian_packages start|test    installs what is missing (as root), or says how to (otherwise);
#                                        one short line when everything is present
#   scripts/deps.sh [--for start|test]   the same from the command line; --for test (the default) is everything
#
# Nothing is started: dnsmasq comes as dnsmasq-base (the program without the system service, the tests start
# their own in network namespaces), and the iperf3 daemon and setuid dumpcap are declined through debconf.
# mosquitto's package enables a service: apt_install blocks service starts (policy-rc.d) while it installs, and the
# tests start their own brokers on loopback. postgresql's would also create a system cluster ('main') for that
# service to start: apt_install says not to (create_main_cluster = false, in a createcluster.d file there while it
# installs), and the tests initdb their own throwaway servers in temporary folders.

# What ./layer45 start needs: ip(8) configures the TUN device.
LAYER45_START_PACKAGES=(iproute2)

# What the tests need, each for the tools named.
LAYER45_TEST_PACKAGES=(
    iproute2        # ip: namespaces, links, addresses, routes
    iputils-ping    # ping
    netcat-openbsd  # nc: TCP and UDP peers
    tshark          # decodes captured traffic to check what went on the wire
    bind9-dnsutils  # dig (the package dnsutils stands for in Debian 12)
    dnsmasq-base    # dnsmasq: DNS and DHCP servers inside test namespaces
    iperf3          # bulk transfers
    passt           # pasta: another user-mode stack, to compare with
    slirp4netns     # the same
    procps          # ps, sysctl
    curl            # HTTP client
    python3         # small test peers and servers
    python3-matplotlib  # the PNG plots of bench/peers.sh (for /usr/bin/python3)
    mosquitto       # the MQTT broker the control plane's tests and bench/deploy.sh start on loopback (never its service)
    openssl         # the test broker's TLS certificates
    postgresql      # initdb, postgres, pg_ctl: the CIB's tests start their own servers on loopback (never a system one)
)

# Answers to the questions the packages would otherwise ask (debconf-set-selections format).
LAYER45_DEBCONF_ANSWERS='wireshark-common wireshark-common/install-setuid boolean false
iperf3 iperf3/start_daemon boolean false'

# Prints the packages of a set (start or test) that are not installed.
missing_debian_packages() {
    local -a wanted
    case "$1" in
        start) wanted=("${LAYER45_START_PACKAGES[@]}") ;;
        *) wanted=("${LAYER45_TEST_PACKAGES[@]}") ;;
    esac
    # One dpkg-query for all: packages it does not know print nothing (and an error we drop).
    local installed
    installed="$(dpkg-query -W -f='${Package} ${Status}\n' "${wanted[@]}" 2>/dev/null \
        | awk '$NF == "installed" { print $1 }')" || true
    local package
    for package in "${wanted[@]}"; do
        grep -qxF "$package" <<<"$installed" || printf '%s\n' "$package"
    done
}

# Runs apt-get install for the given packages, quietly, with the answers above; the output goes to $1.
apt_install() {
    local log="$1"
    shift
    # invoke-rc.d asks policy-rc.d whether to start a service; 101 says no. One that is there (containers often
    # have one) is left as it is; ours goes again afterwards.
    local policy=/usr/sbin/policy-rc.d ours=0 status=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# layer45 scripts/deps.sh: no service starts while packages install\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        ours=1
    fi
    # A PostgreSQL server version installed for the first time creates a cluster 'main' unless createcluster.conf
    # (which reads the files of createcluster.d) says create_main_cluster = false; ours goes again afterwards.
    local cluster=/etc/postgresql-common/createcluster.d/layer45-deps.conf cluster_ours=0 folder_ours=0
    if [ ! -e "$cluster" ]; then
        [ -d "${cluster%/*}" ] || { mkdir -p "${cluster%/*}" && folder_ours=1; }
        printf '# layer45 scripts/deps.sh: no system cluster while packages install\ncreate_main_cluster = false\n' \
            >"$cluster"
        cluster_ours=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        -o DPkg::Lock::Timeout=120 "$@" >>"$log" 2>&1 || status=$?
    [ "$ours" -eq 0 ] || rm -f "$policy"
    [ "$cluster_ours" -eq 0 ] || rm -f "$cluster"
    [ "$folder_ours" -eq 0 ] || rmdir "${cluster%/*}" 2>/dev/null || true
    return "$status"
}

ensure_debian_packages() {
    local set="${1:-test}"
    case "$set" in
        start | test) ;;
        *) echo "layer45: unknown package set '$set'; the sets are start and test" >&2; return 2 ;;
    esac
    if ! command -v dpkg-query >/dev/null 2>&1; then
        echo "layer45: not a Debian system; install by hand what these Debian packages provide:" \
            "$(missing_debian_packages "$set" | tr '\n' ' ')" >&2
        return 0
    fi
    local -a missing
    mapfile -t missing < <(missing_debian_packages "$set")
    local count
    case "$set" in start) count=${#LAYER45_START_PACKAGES[@]} ;; *) count=${#LAYER45_TEST_PACKAGES[@]} ;; esac
    if [ ${#missing[@]} -eq 0 ]; then
        echo "layer45: the Debian packages for '$set' are installed ($count)" >&2
        return 0
    fi
    if [ "$(id -u)" -ne 0 ]; then
        local effect="tests that need them will skip or fail"
        [ "$set" = start ] && effect="the runtime cannot configure its TUN device"
        echo "layer45: missing Debian packages ($effect); install them with:" \
            "sudo apt-get install --no-install-recommends ${missing[*]}" >&2
        return 0
    fi
    local log started=$SECONDS
    log="$(mktemp -t layer45-deps.XXXXXX.log)"
    echo "layer45: installing the Debian packages ${missing[*]} (log: $log)" >&2
    debconf-set-selections <<<"$LAYER45_DEBCONF_ANSWERS"
    # A fresh image has no package lists: fetch them first. Otherwise fetch them only if the install fails,
    # which is what stale lists (a removed version) make it do.
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get update >>"$log" 2>&1 || true
    fi
    if ! apt_install "$log" "${missing[@]}"; then
        apt-get update >>"$log" 2>&1 || true
        if ! apt_install "$log" "${missing[@]}"; then
            tail -n 20 "$log" >&2
            echo "layer45: apt-get install ${missing[*]} failed; the full log is $log" >&2
            return 1
        fi
    fi
    rm -f "$log"
    echo "layer45: installed ${missing[*]} in $((SECONDS - started)) s" >&2
}

# Run as a script rather than sourced.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
        "") ensure_debian_packages test ;;
        --for)
            [ $# -eq 2 ] || { echo "usage: $0 [--for start|test]" >&2; exit 2; }
            ensure_debian_packages "$2" ;;
        *) echo "usage: $0 [--for start|test]" >&2; exit 2 ;;
    esac
fi
