#!/usr/bin/env python3
"""Renders the results of layer45.bench.TcpBenchmark (bench/target/tcp.json) as a Markdown section.

Prints the section to stdout and, with --docs, replaces the text between <!-- tcp:begin --> and <!-- tcp:end -->
in that file (appending the section when they are missing). Nothing else in the file is touched: notes written
around the markers (a profile, say) stay. Standard library only; called by bench/tcp.sh.
"""

import datetime
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # report_common, from any working directory
from report_common import cpu_model, fmt_cores, fmt_pct, load_run, median, number, publish, report_arguments  # noqa: E402

BEGIN = "<!-- tcp:begin -->"
END = "<!-- tcp:end -->"

# The goals of the issue: at MTU 65520 a quarter of the veth pair's throughput or more; at MTU 1500 1 Gb/s or more.
GOAL_RATIO_MTU = 65520
GOAL_RATIO = 0.25
GOAL_GBPS = 1.0

TESTS = {
    "in": "bulk, kernel → responder (discard)",
    "out": "bulk, responder → kernel (source)",
    "cps": "connections/s (connect, 64 B echo, close)",
}
RESPONDERS = {
    "veth": "kernel over a veth pair",
    "stack": "RunningStack over TUN",
    "stack+runtime": "the same + Layer45Runtime tap",
}
ORDER = ["veth", "stack", "stack+runtime"]
TEST_ORDER = ["in", "out", "cps"]







def fmt_value(test, value):
    if math.isnan(value):
        return "n/a"
    return f"{value:,.0f}/s" if test == "cps" else f"{value:.2f} Gb/s"


def fmt_range(test, lo, hi):
    if test == "cps":
        return f"{lo:,.0f}–{hi:,.0f}"
    return f"{lo:.2f}–{hi:.2f}"


def summarize(cells):
    """One row per (test, mtu, responder): medians and spreads over the repetitions."""
    groups = {}
    for c in cells:
        groups.setdefault((c["test"], c["mtu"], c["responder"]), []).append(c)
    rows = {}
    for key, group in groups.items():
        test = key[0]
        values = [number(c["cps"] if test == "cps" else c["gbps"]) for c in group]
        retx = [int(c.get("stack_fast_retransmits", 0)) + int(c.get("stack_retransmit_timeouts", 0))
                for c in group if "stack_fast_retransmits" in c]
        rows[key] = {
            "test": test,
            "mtu": key[1],
            "responder": key[2],
            "n": len(group),
            "value": median(values),
            "min": min(values),
            "max": max(values),
            "cpu": median([number(c["responder_cpu_fraction"]) for c in group]),
            "user": median([number(c["responder_user_fraction"]) for c in group]),
            "load": median([number(c["load_cpu_fraction"]) for c in group]),
            "busy": median([number(c["machine_busy_cores"]) for c in group]),
            "softirq": median([number(c.get("softirq_cores")) for c in group]),
            "other": max(number(c.get("other_busy_cores")) for c in group),
            "retx": sum(retx) if retx else None,
            "errors": sum(int(c.get("errors", 0)) for c in group),
        }
    return rows


def goal_and_verdict(row, ratio):
    if row["responder"] == "veth":
        return "reference", "—"
    if row["test"] == "cps":
        return "—", "—"
    if row["mtu"] == GOAL_RATIO_MTU:
        goal = f"≥ {100 * GOAL_RATIO:.0f}% of veth"
        if math.isnan(ratio):
            return goal, "unknown (no veth)"
        return goal, "met" if ratio >= GOAL_RATIO else "**not met**"
    goal = f"≥ {GOAL_GBPS:g} Gb/s"
    return goal, "met" if row["value"] >= GOAL_GBPS else "**not met**"


def render(run, args):
    rows = summarize(run["cells"])
    keys = sorted({(t, m) for t, m, _ in rows}, key=lambda k: (TEST_ORDER.index(k[0]) if k[0] in TEST_ORDER else 9,
                                                                  k[1]))
    out = []
    out.append("## TCP over TUN: bulk throughput and connections per second")
    out.append("")
    out.append("The kernel's TCP in a network namespace talks to the stack's TCP through a TUN link; beside it, in the")
    out.append("same run, the kernel talks to itself between two namespaces over a veth pair at the same MTU (the")
    out.append("reference). `in`: a sender writes to the discard service as fast as it can; `out`: a receiver reads")
    out.append("from a source service (`TcpSource`, a chargen without lines) as fast as it can; `cps`: threads connect,")
    out.append("send 64 bytes to the echo service, read them back and close, one connection after the other.")
    out.append("Responders: `veth`, a one-thread selector server (`TcpLoad --mode serve`) on the kernel's TCP;")
    out.append("`stack`, the stack's `RunningStack` with its discard, source and echo services; `stack+runtime`, the")
    out.append("same with a standalone `Layer45Runtime` as the flow tap and no module loaded, so every byte passes")
    out.append("the customization chain (`TappedStream`). Source: `bench/src/main/java/layer45/bench/TcpBenchmark.java`,")
    out.append("`TcpLoad.java`; the source service: `layer45.mnet/.../service/TcpSource.java`.")
    out.append("")
    if args.quick_note:
        out.append("**Smoke run (`--quick`): not a result to quote.**")
        out.append("")
    out.append("| test | MTU | responder | median | min–max | vs veth | responder CPU (user) | load CPU "
               "| machine busy (softirq; others) | stack retransmits | goal | verdict |")
    out.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    cores = run.get("cores", os.cpu_count())
    for test, mtu in keys:
        veth = rows.get((test, mtu, "veth"))
        responders = [r for r in ORDER if (test, mtu, r) in rows]
        for responder in responders:
            r = rows[(test, mtu, responder)]
            ratio = r["value"] / veth["value"] if veth and veth["value"] > 0 else math.nan
            goal, verdict = goal_and_verdict(r, ratio)
            label = f"`{responder}` ({RESPONDERS.get(responder, responder)})"
            retx = "—" if r["retx"] is None else f'{r["retx"]:,}'
            value = fmt_value(test, r["value"])
            if r["errors"]:
                value += f' ({r["errors"]:,} failed)'
            out.append(f'| `{test}` {TESTS[test]} | {mtu} | {label} | {value}'
                       f' | {fmt_range(test, r["min"], r["max"])}'
                       f' | {"—" if responder == "veth" else fmt_pct(ratio)}'
                       f' | {fmt_pct(r["cpu"])} ({fmt_pct(r["user"])}) | {fmt_pct(r["load"])}'
                       f' | {r["busy"]:.2f} of {cores} ({fmt_cores(r["softirq"])}; {fmt_cores(r["other"])})'
                       f' | {retx} | {goal} | {verdict} |')
    out.append("")
    started = datetime.datetime.fromisoformat(run["started"].replace("Z", "+00:00"))
    queues = ", ".join(f"{q} packets at MTU {m}" for m, q in run["tun_queue_lengths"].items())
    out.append(f"- When: {started.strftime('%Y-%m-%d %H:%M UTC')} (start of the run); it took "
               f"{run['elapsed_s']:.0f} s.")
    out.append(f"- JDK: {run['jdk']}; stack JVM flags `{run['jvm_flags']}`; load and veth server JVM flags "
               f"`{run['load_jvm_flags']}`.")
    out.append(f"- Machine: {cpu_model()}, {cores} cores (shared virtual machine), Linux {run['kernel']}. The load,"
               " the responder and the kernel's work for both share these cores.")
    out.append(f"- Stack: TCP send and receive buffers of {run['stack_buffers'] // 1024:,} KiB per connection (the"
               f" default is {run['default_buffers'] // 1024:,} KiB; see below), CUBIC, SACK, timestamps and window"
               f" scaling on, everything else `TcpSettings.DEFAULTS`. TUN transmit queue: {queues}"
               " (`TunLinkOptions.queueLengthFor`, the stack's default). veth: offloads as the kernel sets them"
               " (TSO/GSO/GRO on), so the kernel moves up to 64 KiB per packet over veth even at MTU 1500; TUN"
               " carries one MTU-sized packet per read or write.")
    out.append(f"- Method: per measurement fresh namespaces and links, a fresh responder, and the load as its own JVM"
               f" inside the load's namespace (sysctls there: `{'`, `'.join(run['load_sysctls'])}`, so that `cps`"
               f" does not run out of ports). Bulk: one connection, 256 KiB writes or reads, kernel socket buffers"
               f" autotuned; Gb/s counts the payload bytes the load wrote (`in`) or read (`out`) in the window."
               f" `cps`: {run['cps_threads']} threads. Warm-up {run['warmup_s']:g} s, then {run['measure_s']:g} s"
               f" measured; {run['repeats']} repetition{'s' if run['repeats'] != 1 else ''}, the responders of"
               " one test and MTU taking turns in a rotated order"
               + (f", after one unrecorded {run['jvm_warmup_s']:g} s run of each stack responder per test to let"
                  " the JIT compile it" if run.get("jvm_warmup_s") else "")
               + ". The median of the repetitions is shown, min–max their spread; *vs veth* compares medians"
               " of the same test and MTU.")
    out.append("- CPU: *responder CPU* is the stack's loop thread (`layer45-net ...`; its kernel part includes the"
               " TUN reads and writes, and the kernel's TCP work that those writes run, such as the sender's"
               " transmissions that an ACK releases), or the whole veth server process, in % of one core (user time"
               " in brackets). *Load CPU*: the load's process, in % of one core. *Machine busy*: the cores in use"
               " (`/proc/stat`, median), with the part in softirq (the kernel's packet processing not charged to a"
               " thread) and the most any repetition saw used by others (busy less the responder and the load:"
               " the kernel's threads, and other workloads sharing the machine). *Stack retransmits*: fast"
               " retransmits and retransmission timeouts of the stack, all repetitions together.")
    out.append(f"- Goals (from the issue): at MTU {GOAL_RATIO_MTU} at least {100 * GOAL_RATIO:.0f}% of the veth"
               f" pair's throughput; at MTU 1500 at least {GOAL_GBPS:g} Gb/s. Connections per second have no goal.")
    out.append(f"- Command: `{args.invocation}`, which runs")
    out.append(f"  `{args.command}`")
    return "\n".join(out)



def main():
    args = report_arguments(__doc__, "tcp", "the benchmark's results", "the benchmark's command line, for the record",
                            no_docs_help="only print (smoke, partial or profiled runs)").parse_args()
    args.quick_note = "--quick" in args.invocation
    publish(render(load_run(args.json), args), args, BEGIN, END)


if __name__ == "__main__":
    main()
