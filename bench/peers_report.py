#!/usr/bin/python3
"""Renders the results of layer45.bench.PeersBenchmark (bench/target/peers.json) as a Markdown section with the
goals of the issue beside each measurement, and draws PNG plots with matplotlib.

Every comparison is a ratio of medians from the same run. Prints the section and, with --docs, replaces the text
between <!-- peers:begin --> and <!-- peers:end --> in that file (appending it when they are missing). Run it with
/usr/bin/python3: matplotlib comes with Debian's python3-matplotlib.
"""

import math
import os
import re
import sys
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # report_common, from any working directory
from report_common import cpu_model, load_run, median, number, publish, report_arguments  # noqa: E402

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit("peers_report.py: matplotlib is missing for " + sys.executable + "; it draws the plots: "
             "apt-get install python3-matplotlib and run this script with /usr/bin/python3")

BEGIN = "<!-- peers:begin -->"
END = "<!-- peers:end -->"

# Goals of the issue, and the original's numbers (shared/reference/anchor-layer45.md, section 6).
BULK_TAG_OVERHEAD = 0.032   # +3.2 % with a 32-byte tag every 1000 bytes
DNS_TAG_OVERHEAD = 0.016    # +1.6 % for the DNS batch, customized
DNS_TAP_ORIGINAL = 0.0033   # +0.33 % tap only
HOT_LOAD_MS = 1000
FLOWS_GOAL = 10_000
CHAIN_PASS_NS = 200
PASTA_65520_GBPS = 31.9     # rootlesskit CI, larger machine (peers.md, section 9)
SLIRP_65520_GBPS = 8.11

LABELS = {
    "veth": "kernel veth pair (ceiling)",
    "layer45": "layer45, tap only",
    "layer45-both": "layer45 at both ends, tap only",
    "layer45-tags": "layer45 at both ends, tag pair",
    "pasta": "pasta",
    "slirp4netns": "slirp4netns",
}
COLORS = {"veth": "#7f7f7f", "layer45": "#1f77b4", "layer45-both": "#6baed6", "layer45-tags": "#08519c",
          "pasta": "#d62728", "slirp4netns": "#ff7f0e"}


def cells(run, workload, **match):
    """The measurements of a workload that match, failed ones left out (failures_section lists them)."""
    return [c for c in run["cells"] if c["workload"] == workload and "error" not in c
            and all(c.get(k) == v for k, v in match.items())]


def failures_section(run):
    failed = [c for c in run["cells"] if "error" in c]
    if not failed:
        return []
    out = [f"### Failed measurements ({len(failed)}, left out of the tables above)", ""]
    for c in failed:
        what = " ".join(str(c.get(k)) for k in ("workload", "path", "mtu", "direction", "settings", "repeat")
                        if c.get(k) not in (None, ""))
        out.append(f"- {what}: `{c['error'][:300]}`")
    return out + [""]


def stats(rows, key):
    values = [number(r.get(key)) for r in rows]
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return math.nan, math.nan, math.nan
    return median(values), min(values), max(values)


def fmt(value, digits=2):
    if value is None or math.isnan(value):
        return "n/a"
    if digits == 2 and abs(value) < 0.1:
        return f"{value:.3f}"  # a collapsed run (pasta at MTU 1500) would read 0.00
    return f"{value:,.{digits}f}"


def spread(lo, hi, digits=2):
    return "n/a" if math.isnan(lo) else f"{fmt(lo, digits)}–{fmt(hi, digits)}"


def ratio(a, b):
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def pct(r):
    if math.isnan(r):
        return "n/a"
    return f"{r:,.0f}×" if r >= 10 else f"{100 * r:.0f}%"


def signed(r):
    return "n/a" if math.isnan(r) else f"{100 * r:+.1f}%"


def paths_of(run, rows):
    present = {r["path"] for r in rows}
    return [p for p in run["paths"] if p in present] + sorted(present - set(run["paths"]))


# ----------------------------------------------------------------------------------------------------------------
# Bulk
# ----------------------------------------------------------------------------------------------------------------

def bulk_section(run, goals):
    rows = cells(run, "bulk")
    if not rows:
        return []
    out = ["### Bulk TCP (iperf3, namespace → host)", "",
           "| MTU | direction | path | Gb/s (median) | min–max | vs veth | vs slirp4netns | vs pasta | runtime CPU |"
           " retransmits | goal | verdict |",
           "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for mtu in run["mtus"]:
        for direction in run["directions"]:
            group = cells(run, "bulk", mtu=mtu, direction=direction)
            if not group:
                continue
            med = {p: stats([r for r in group if r["path"] == p], "gbps") for p in paths_of(run, group)}
            veth, slirp, pasta = (med.get(p, (math.nan,))[0] for p in ("veth", "slirp4netns", "pasta"))
            for path in paths_of(run, group):
                mine = [r for r in group if r["path"] == path]
                m, lo, hi = med[path]
                cpu = stats(mine, "runtime_cpu_fraction")[0]
                retrans = sum(int(r.get("retransmits", 0)) for r in mine)
                goal, verdict = bulk_goal(path, direction, m, slirp, med, mtu, goals)
                out.append(f"| {mtu} | {direction} | {LABELS.get(path, path)} | {fmt(m)} | {spread(lo, hi)} | "
                           f"{'—' if path == 'veth' else pct(ratio(m, veth))} | "
                           f"{'—' if path == 'slirp4netns' else pct(ratio(m, slirp))} | "
                           f"{'—' if path == 'pasta' else pct(ratio(m, pasta))} | "
                           f"{'—' if math.isnan(cpu) else pct(cpu)} | {retrans} | {goal} | {verdict} |")
    return out + [""]


def bulk_goal(path, direction, m, slirp, med, mtu, goals):
    if path == "layer45":
        if math.isnan(slirp):
            return "≥ slirp4netns", "n/a (slirp4netns not measured)"
        r = ratio(m, slirp)
        met = r >= 1
        verdict = "met" if met else f"**missed** by {100 * (1 - r):.0f}%"
        goals.append((f"Bulk {direction}, MTU {mtu}: layer45 (tap only) ≥ slirp4netns",
                      f"{fmt(m)} vs {fmt(slirp)} Gb/s ({pct(r)})", verdict))
        return "≥ slirp4netns", verdict
    if path == "layer45-tags":
        both = med.get("layer45-both", (math.nan,))[0]
        # the original measured time per download: time per byte grows by both/tags - 1
        overhead = ratio(both, m) - 1
        if direction != "down":
            return "— (tags go server → client only)", f"pass-through cost {signed(overhead)}"
        met = overhead <= BULK_TAG_OVERHEAD
        verdict = "met" if met else f"**missed**: {signed(overhead)} ({100 * (overhead - BULK_TAG_OVERHEAD):.1f} points over)"
        goals.append((f"Bulk tag pair over tap only (both ends), MTU {mtu}: ≤ +3.2% time",
                      f"{signed(overhead)} time per byte ({fmt(m)} vs {fmt(both)} Gb/s)", verdict))
        return "≤ +3.2% time over tap only", verdict
    return "reference" if path == "veth" else "—", "—"


# ----------------------------------------------------------------------------------------------------------------
# DNS, latency, connections, flows, hot load, chain
# ----------------------------------------------------------------------------------------------------------------

def dns_section(run, goals):
    rows = cells(run, "dns")
    if not rows:
        return []
    n = run["dns_queries"]
    med = {p: stats([r for r in rows if r["path"] == p], "seconds") for p in paths_of(run, rows)}
    base = med.get("veth", (math.nan,))[0]
    out = [f"### Batch DNS ({n} dig processes one after the other, dnsmasq)", "",
           f"| path | s per {n} (median) | min–max | ms per query | vs base (veth) | failures | goal | verdict |",
           "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for path in paths_of(run, rows):
        m, lo, hi = med[path]
        failures = sum(int(r.get("failures", 0)) for r in rows if r["path"] == path)
        goal, verdict = "—", "—"
        if path == "veth":
            goal = "base"
        elif path == "layer45":
            goal = f"original tap: {signed(DNS_TAP_ORIGINAL)}"
            verdict = f"{signed(ratio(m, base) - 1)} over base"
        elif path == "layer45-tags":
            both = med.get("layer45-both", (math.nan,))[0]
            overhead = ratio(m, both) - 1
            goal = "≤ +1.6% over tap only (both ends)"
            verdict = "met" if overhead <= DNS_TAG_OVERHEAD else \
                f"**missed**: {signed(overhead)} ({100 * (overhead - DNS_TAG_OVERHEAD):.1f} points over)"
            goals.append(("DNS tag pair over tap only (both ends): ≤ +1.6%",
                          f"{signed(overhead)} ({fmt(m)} vs {fmt(both)} s per {n})", verdict))
        if failures:
            verdict += f"; {failures} wrong or missing answers"
        out.append(f"| {LABELS.get(path, path)} | {fmt(m)} | {spread(lo, hi)} | {fmt(1000 * m / n)} | "
                   f"{'—' if path == 'veth' else signed(ratio(m, base) - 1)} | {failures} | {goal} | {verdict} |")
    return out + [""]


def rr_section(run):
    rows = cells(run, "rr")
    if not rows:
        return []
    keys = ["tcp_p50_ns", "tcp_p99_ns", "udp_p50_ns", "udp_p99_ns"]
    med = {p: {k: stats([r for r in rows if r["path"] == p], k) for k in keys} for p in paths_of(run, rows)}
    veth = med.get("veth")
    out = [f"### Request/response latency ({run['rr_count']:,} round trips of 64 bytes, one at a time)", "",
           "µs; *added* is over the veth ceiling (medians of the repetitions' percentiles).", "",
           "| path | TCP p50 | TCP p99 | UDP p50 | UDP p99 | added TCP p50 / p99 | added UDP p50 / p99 | UDP lost |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for path in paths_of(run, rows):
        v = {k: med[path][k][0] / 1000 for k in keys}
        lost = sum(int(r.get("udp_lost", 0)) for r in rows if r["path"] == path)
        if veth and path != "veth":
            add = {k: v[k] - veth[k][0] / 1000 for k in keys}
            added_tcp = f"{add['tcp_p50_ns']:+,.0f} / {add['tcp_p99_ns']:+,.0f}"
            added_udp = f"{add['udp_p50_ns']:+,.0f} / {add['udp_p99_ns']:+,.0f}"
        else:
            added_tcp = added_udp = "—"
        out.append(f"| {LABELS.get(path, path)} | {fmt(v['tcp_p50_ns'], 0)} | {fmt(v['tcp_p99_ns'], 0)} | "
                   f"{fmt(v['udp_p50_ns'], 0)} | {fmt(v['udp_p99_ns'], 0)} | {added_tcp} | {added_udp} | {lost} |")
    return out + [""]


def cps_section(run):
    rows = cells(run, "cps")
    if not rows:
        return []
    med = {p: stats([r for r in rows if r["path"] == p], "cps") for p in paths_of(run, rows)}
    veth = med.get("veth", (math.nan,))[0]
    out = [f"### New TCP connections per second (4 threads: connect, 64-byte echo, close; {run['cps_seconds']} s)",
           "", "| path | connections/s (median) | min–max | vs veth | errors |", "| --- | ---: | ---: | ---: | ---: |"]
    for path in paths_of(run, rows):
        m, lo, hi = med[path]
        errors = sum(int(r.get("errors", 0)) for r in rows if r["path"] == path)
        out.append(f"| {LABELS.get(path, path)} | {fmt(m, 0)} | {spread(lo, hi, 0)} | "
                   f"{'—' if path == 'veth' else pct(ratio(m, veth))} | {errors} |")
    return out + [""]


def flows_section(run, goals):
    rows = cells(run, "flows")
    if not rows:
        return []
    out = ["### Concurrent flows through layer45 (TCP, each checked with an echo, held 3 s, checked again)", "",
           "| runtime settings | flows asked | open and working | connect errors | echo errors | errors on recheck |"
           " time to open all | runtime RSS before | RSS holding | RSS per flow | goal | verdict |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in rows:
        errors = int(r["connect_errors"]) + int(r["echo_errors"]) + int(r["recheck_errors"])
        ok = int(r["opened"]) >= FLOWS_GOAL and errors == 0
        asked = int(r["flows"])
        verdict = "met" if ok else ("n/a (fewer flows asked)" if asked < FLOWS_GOAL and errors == 0
                                    else f"**missed**: {int(r['opened']):,} work, {errors:,} errors")
        if asked >= FLOWS_GOAL:
            goals.append((f"{FLOWS_GOAL:,} concurrent flows without errors ({r['settings']})",
                          f"{int(r['opened']):,} open, {errors:,} errors, RSS {r['rss_holding_kib'] / 1024:,.0f} MiB",
                          verdict))
        out.append(f"| {r['settings']} | {asked:,} | {int(r['opened']):,} | {int(r['connect_errors']):,} | "
                   f"{int(r['echo_errors']):,} | {int(r['recheck_errors']):,} | {r['nanos'] / 1e9:,.0f} s | "
                   f"{r['rss_before_kib'] / 1024:,.0f} MiB | {r['rss_holding_kib'] / 1024:,.0f} MiB | "
                   f"{r['rss_per_flow_kib']:,.0f} KiB | {FLOWS_GOAL:,} without errors | {verdict} |")
    return out + [""]


def hotload_section(run, goals):
    rows = cells(run, "hotload")
    if not rows:
        return []
    live = stats(rows, "live_ms")
    attached = stats(rows, "attached_ms")
    worst = attached[2]
    verdict = "met" if not math.isnan(worst) and worst < HOT_LOAD_MS else \
        f"**missed**: worst {fmt(worst, 0)} ms"
    goals.append(("Hot load: jar dropped until the module is LIVE and on a new flow, < 1 s",
                  f"median {fmt(attached[0], 0)} ms, worst {fmt(worst, 0)} ms", verdict))
    return [f"### Hot load (echo-tag dropped into the autoload folder, {len(rows)} times)", "",
            "| until | ms (median) | min–max | goal | verdict |", "| --- | ---: | ---: | --- | --- |",
            f"| module LIVE in `lsmod` | {fmt(live[0], 0)} | {spread(live[1], live[2], 0)} | — | — |",
            f"| module attached to a new flow (`lsmod` used > 0) | {fmt(attached[0], 0)} | "
            f"{spread(attached[1], attached[2], 0)} | < 1000 | {verdict} |", "",
            "The autoload folder is scanned every 250 ms and a jar is loaded once it looked the same at two scans in a"
            " row, so half a second of this is waiting by design (`autoload.poll.ms`); `lsmod` is read every few ms.",
            ""]


def chain_section(path, docs, goals):
    """The chain micro-benchmark's pass-through goal: from bench/chain.sh's results of this run (./layer45 bench runs
    it first) or, without them, from the chain section recorded in the docs."""
    goal = "Chain micro-benchmark: pass-through module < 200 ns per chunk (1 KiB)"
    if path and os.path.exists(path):
        import chain_report  # noqa: E402  (same folder)
        rows = [r for r in chain_report.load(path) if r["scenario"] == "pass" and r["size"] == 1024]
        if rows:
            ns = rows[0]["score"]
            when = f"{datetime.fromtimestamp(os.path.getmtime(path)):%Y-%m-%d %H:%M}"
            goals.append((goal, f"{ns:.1f} ns (`bench/chain.sh`, {when})",
                          "met" if ns < CHAIN_PASS_NS else "**missed**"))
            return
    if docs and os.path.exists(docs):
        with open(docs, encoding="utf-8") as f:
            m = re.search(r"\| `pass` \(1 module, NO_CUSTOMIZATION\) \| 1024 B \| ([0-9.]+) ", f.read())
        if m:
            ns = float(m.group(1))
            goals.append((goal, f"{ns:.1f} ns (not run here: the chain section below, by `bench/chain.sh`)",
                          "met" if ns < CHAIN_PASS_NS else "**missed**"))


# ----------------------------------------------------------------------------------------------------------------
# Plots
# ----------------------------------------------------------------------------------------------------------------

def bar_plot(run, rows, groups, key, scale, ylabel, title, path):
    """Grouped bars: one group per (label, match), one bar per path, median with min–max whiskers."""
    paths = paths_of(run, rows)
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(groups) + 2), 4.2))
    width = 0.8 / max(1, len(paths))
    for i, p in enumerate(paths):
        meds, los, his = [], [], []
        for _, match in groups:
            m, lo, hi = stats([r for r in rows if r["path"] == p and all(r.get(k) == v for k, v in match.items())],
                              key)
            meds.append(m * scale)
            los.append((m - lo) * scale if not math.isnan(m) else 0)
            his.append((hi - m) * scale if not math.isnan(m) else 0)
        xs = [g + (i - (len(paths) - 1) / 2) * width for g in range(len(groups))]
        ax.bar(xs, meds, width, yerr=[los, his], capsize=2, label=LABELS.get(p, p), color=COLORS.get(p))
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([label for label, _ in groups])
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plots(run, img):
    os.makedirs(img, exist_ok=True)
    made = []
    bulk = cells(run, "bulk")
    if bulk:
        groups = [(f"MTU {m}\n{d}", {"mtu": m, "direction": d}) for m in run["mtus"] for d in run["directions"]]
        made.append(bar_plot(run, bulk, groups, "gbps", 1, "Gb/s (median, min–max)",
                             "Bulk TCP, iperf3 from a namespace to the host", os.path.join(img, "peers-bulk.png")))
    dns = cells(run, "dns")
    if dns:
        made.append(bar_plot(run, dns, [("", {})], "seconds", 1000 / run["dns_queries"], "ms per query",
                             f"Batch DNS, {run['dns_queries']} dig processes", os.path.join(img, "peers-dns.png")))
    rr = cells(run, "rr")
    if rr:
        groups = [(k.replace("_ns", "").replace("_", " "), {}) for k in ("tcp_p50_ns", "tcp_p99_ns", "udp_p50_ns",
                                                                          "udp_p99_ns")]
        fig_rows = []
        for label, _ in groups:
            key = label.replace(" ", "_") + "_ns"
            for r in rr:
                fig_rows.append({"path": r["path"], "group": label, "value": r[key]})
        made.append(bar_plot(run, fig_rows, [(label, {"group": label}) for label, _ in groups], "value", 1e-3,
                             "µs (median of the repetitions)", "Request/response latency, 64 bytes",
                             os.path.join(img, "peers-latency.png")))
    cps = cells(run, "cps")
    if cps:
        made.append(bar_plot(run, cps, [("", {})], "cps", 1, "connections/s", "New TCP connections per second",
                             os.path.join(img, "peers-cps.png")))
    return made


# ----------------------------------------------------------------------------------------------------------------

def main():
    parser = report_arguments(__doc__, "peers", "results of PeersBenchmark", "the benchmark's command line")
    parser.add_argument("--img", default="bench/target/img", help="folder for the PNG plots")
    parser.add_argument("--chain-json", help="bench/chain.sh's results, for the chain goal (skipped if missing)")
    parser.add_argument("--load-before", default="", help="/proc/loadavg before the run")
    parser.add_argument("--load-after", default="", help="/proc/loadavg after the run")
    args = parser.parse_args()
    run = load_run(args.json)
    goals = []
    body = bulk_section(run, goals) + dns_section(run, goals) + rr_section(run) + cps_section(run) \
        + flows_section(run, goals) + hotload_section(run, goals) + failures_section(run)
    chain_section(args.chain_json, args.docs or "docs/benchmarks.md", goals)
    made = plots(run, args.img)
    docs_dir = os.path.dirname(os.path.abspath(args.docs)) if args.docs else os.getcwd()
    out = ["## Peers: layer45 beside the kernel, pasta and slirp4netns", "",
           "What a user would pick instead, measured on this machine in one run by `bench/peers.sh`"
           " (`./layer45 bench peers`). Each measurement gets fresh namespaces and a fresh server; the layer45 runtime is"
           " the runnable jar as `./layer45 start` runs it (one per MTU), its clients in namespaces attached with"
           " `layer45 exec --join`. Numbers are medians of the repetitions with their min–max; every ratio compares"
           " medians of the same run. Source: `bench/src/main/java/layer45/bench/PeersBenchmark.java`.", "",
           "### Goals", "", "| goal | measured | verdict |", "| --- | --- | --- |"]
    out += [f"| {g} | {m} | {v} |" for g, m, v in goals]
    out.append("")
    out += body
    if made:
        out += ["### Plots", ""]
        out += [f"![{os.path.basename(p)}]({os.path.relpath(p, docs_dir)})" for p in made]
        out.append("")
    versions = ", ".join(f"{k} `{v}`" for k, v in run.get("versions", {}).items())
    started = datetime.fromisoformat(run["started"].replace("Z", "+00:00"))
    out += [
        f"- When: {started:%Y-%m-%d %H:%M} UTC (start of the run); it took {run['elapsed_s']:.0f} s. Load average"
        f" (`/proc/loadavg`) before: {args.load_before or 'n/a'}; after: {args.load_after or 'n/a'}.",
        f"- Machine: {cpu_model()}, {run['cores']} cores, Linux {run['kernel']}. JDK {run['jdk']}; runtime JVM extra"
        f" flags: `{run.get('runtime_jvm_flags') or 'none'}`. Tools: {versions}.",
        f"- Paths: {'; '.join(f'`{k}`: {v}' for k, v in run['path_descriptions'].items())}. veth: 10.48.0.1 (host)"
        " and 10.48.0.2, the server bound to the host's end; layer45: the host's 127.0.0.1 at 10.45.0.254; pasta"
        " (`pasta --runas 0 --config-net -m MTU -- CMD`): the host's loopback at the default gateway's address;"
        " slirp4netns (`--configure --mtu=MTU`, host loopback on): 10.0.2.2. *Both ends*: the server runs in a second"
        " namespace of layer45 behind a port forward (`exec --forward`), so each connection crosses the stack twice,"
        " as the original's client and server each ran Layer 4.5; its tap-only row is the reference of the tag pair.",
        f"- Bulk: `iperf3 -c` for {run['seconds']} s after {run['omit']} s omitted (`-O`), `up` the client sends,"
        " `down` the server sends (`-R`); Gb/s is iperf3's receiver rate. Tag pair: `bulk-tag` (a 32-byte tag every"
        " 1000 bytes, inserted by `bulk-tag-server` on the server's flow, `local.port=5201`, stripped by"
        " `bulk-tag-client` on the client's, `remote.port=` the forwarded port), so tags go only `down`; `up` shows a"
        " module that passes. The original's overhead was a download's time: here time per byte, tap-only ÷ tagged"
        " throughput − 1. *Runtime CPU*: the runtime process's CPU time over the client's run, in % of one core.",
        "- DNS: a shell loop in the namespace runs `dig +short` processes one after the other (process start"
        " included, as the original's trial), each answer checked; dnsmasq with `--cache-size=0`, answering"
        " `*.l45.test` itself. Tag pair: `dns-tag` (`dns-tag-client` on dig's queries, `remote.port=` the forward;"
        " `dns-tag-server` strips at dnsmasq). Latency: `PingPongLoad rr`, TCP (TCP_NODELAY) then UDP, after"
        " unrecorded warm-up round trips. Connections: `TcpLoad cps`, 4 threads, 1 s warm-up.",
        f"- Repetitions: {run['repeats']}; the paths of one workload, MTU and direction take turns in an order rotated"
        " at each repetition. One unrecorded bulk run each way warms each runtime up.",
        f"- Command: `{args.invocation}`, which runs `{args.command}`",
    ]
    shared = any(float(x.split()[0]) > 0.5 for x in (args.load_before, args.load_after) if x)
    if shared:
        out.append("- **The machine was shared** during this run (load average above 0.5 before or after it: other"
                   " builds and tests ran): absolute numbers are low and spreads wide; compare ratios within the run.")
    publish("\n".join(out), args, BEGIN, END)


if __name__ == "__main__":
    main()
