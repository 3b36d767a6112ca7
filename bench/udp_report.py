#!/usr/bin/env python3
"""Renders the results of layer45.bench.UdpEchoBenchmark (bench/target/udp.json) as a Markdown section.

Prints the section to stdout and, with --docs, replaces the text between <!-- udp:begin --> and <!-- udp:end -->
in that file (creating the file, or appending the section, when they are missing). Nothing else in the file is
touched. Standard library only; called by bench/udp.sh.
"""

import datetime
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # report_common, from any working directory
from report_common import cpu_model, fmt_cores, fmt_pct, load_run, median, number, publish, report_arguments  # noqa: E402

BEGIN = "<!-- udp:begin -->"
END = "<!-- udp:end -->"

INTRO = """# Benchmarks

Benchmarks of layer45's hot paths, each recorded by the script that runs it. Numbers come from the development
machines (2 cores, shared, virtualized): compare them with each other and over time, not with other hardware.
Each section below is rewritten by its script; edit the text around them freely.
"""

# The goals of the issue: through the stack, 64-byte datagrams at half the ceiling or more; no allocation per packet.
GOAL_SIZE = 64
GOAL_RATIO = 0.5
# Allocation below this many bytes per packet counts as none: one 16-byte object every 16 packets would be 1.
ZERO_BYTES = 1.0

MODES = {
    "ceiling": "bare TUN read/write loop",
    "stack": "RunningStack, UDP echo",
    "stack+runtime": "the same + Layer45Runtime tap",
}
ORDER = ["ceiling", "stack", "stack+runtime"]





def fmt_rate(value):
    return "n/a" if math.isnan(value) else f"{value:,.0f}"



def fmt_bytes(value):
    if math.isnan(value):
        return "n/a"
    return "0" if value == 0 else (f"{value:.2f}" if value < 10 else f"{value:,.0f}")


def per_packet(cell, key):
    """Microseconds of the responder thread's CPU time per packet it took from the device."""
    packets = number(cell.get("loop_packets"))
    return number(cell.get(key)) / packets / 1000 if packets > 0 else math.nan



def fmt_us(value):
    return "n/a" if math.isnan(value) else f"{value:.2f}"


def summarize(cells):
    """One row per (size, mode): medians and spreads over the repetitions."""
    groups = {}
    for c in cells:
        groups.setdefault((c["size"], c["mode"]), []).append(c)
    rows = {}
    for key, group in groups.items():
        rates = [number(c["replies_per_s"]) for c in group]
        rows[key] = {
            "size": key[0],
            "mode": key[1],
            "n": len(group),
            "rate": median(rates),
            "min": min(rates),
            "max": max(rates),
            "lost": sum(int(c["lost"]) for c in group),
            "sent": sum(int(c["sent"]) for c in group),
            "wrong": sum(int(c.get("wrong_replies", 0)) for c in group),
            "bytes": max(number(c["loop_bytes_per_packet"]) for c in group),
            "cpu": median([number(c["loop_cpu_fraction"]) for c in group]),
            "cpu_us": median([per_packet(c, "loop_cpu_nanos") for c in group]),
            "user_us": median([per_packet(c, "loop_user_nanos") for c in group]),
            "user": median([number(c["loop_user_fraction"]) for c in group]),
            "load": median([number(c["load_cpu_fraction"]) for c in group]),
            "busy": median([number(c["machine_busy_cores"]) for c in group]),
            "other": max(number(c.get("other_busy_cores")) for c in group),
            "window": min(int(c["window"]) for c in group),
        }
    return rows


def goal_and_verdict(row, ratio):
    if row["mode"] == "ceiling":
        return "reference", "—"
    goals, verdicts = [], []
    if row["size"] == GOAL_SIZE:
        goals.append(f"≥ {100 * GOAL_RATIO:.0f}% of ceiling")
        if math.isnan(ratio):
            verdicts.append("unknown (no ceiling)")
        elif ratio < GOAL_RATIO:
            verdicts.append("**not met** (rate)")
    goals.append(f"< {ZERO_BYTES:.0f} B/packet")
    if math.isnan(row["bytes"]):
        verdicts.append("unknown (no packets)")
    elif row["bytes"] >= ZERO_BYTES:
        verdicts.append("**not met** (allocates)")
    return ", ".join(goals), "; ".join(verdicts) or "met"


def render(run, args):
    rows = summarize(run["cells"])
    sizes = sorted({size for size, _ in rows})
    out = []
    out.append("## UDP echo over TUN: datagrams per second")
    out.append("")
    out.append("A load generator in a network namespace sends UDP datagrams through a TUN link (MTU "
               f"{run['mtu']}) and counts")
    out.append("the echoes. Three responders read and write the other end of the link, measured side by side in one")
    out.append("run: `ceiling`, a bare loop that reads a packet from the TUN device and writes it straight back with")
    out.append("addresses and ports swapped (what the device and the kernel allow at most); `stack`, the stack's")
    out.append("`RunningStack` with its UDP echo service (port 7); `stack+runtime`, the same with a standalone")
    out.append("`Layer45Runtime` as the flow tap and no module loaded (the path every flow takes in production).")
    out.append("Source: `bench/src/main/java/layer45/bench/UdpEchoBenchmark.java`, `UdpLoad.java`, `TunReflector.java`.")
    out.append("")
    if args.quick_note:
        out.append("**Smoke run (`--quick`): not a result to quote.**")
        out.append("")
    out.append("| payload | responder | replies/s (median) | min–max | vs ceiling | lost | loop µs/packet (user) "
               "| loop busy | load busy | machine busy (others) | loop B/packet | goal | verdict |")
    out.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    cores = run.get("cores", os.cpu_count())
    for size in sizes:
        ceiling = rows.get((size, "ceiling"))
        modes = [m for m in ORDER if (size, m) in rows] + sorted(m for s, m in rows if s == size and m not in ORDER)
        for mode in modes:
            r = rows[(size, mode)]
            ratio = r["rate"] / ceiling["rate"] if ceiling and ceiling["rate"] > 0 else math.nan
            goal, verdict = goal_and_verdict(r, ratio)
            lost = f'{r["lost"]:,}' + (f' ({100 * r["lost"] / r["sent"]:.2g}%)' if r["lost"] and r["sent"] else "")
            if r["wrong"]:
                lost += f', {r["wrong"]:,} wrong'
            label = f"`{mode}` ({MODES.get(mode, mode)})"
            out.append(f'| {size} B | {label} | {fmt_rate(r["rate"])} | {fmt_rate(r["min"])}–{fmt_rate(r["max"])}'
                       f' | {"—" if mode == "ceiling" else fmt_pct(ratio)} | {lost}'
                       f' | {fmt_us(r["cpu_us"])} ({fmt_us(r["user_us"])}) | {fmt_pct(r["cpu"])} | {fmt_pct(r["load"])}'
                       f' | {r["busy"]:.2f} of {cores} ({fmt_cores(r["other"])}) | {fmt_bytes(r["bytes"])}'
                       f' | {goal} | {verdict} |')
    out.append("")
    started = datetime.datetime.fromisoformat(run["started"].replace("Z", "+00:00"))
    windows = sorted({r["window"] for r in rows.values()})
    out.append(f"- When: {started.strftime('%Y-%m-%d %H:%M UTC')} (start of the run); it took "
               f"{run['elapsed_s']:.0f} s.")
    out.append(f"- JDK: {run['jdk']}; responder JVM flags `{run['jvm_flags']}`; load generator JVM flags "
               f"`{run['load_jvm_flags']}`.")
    out.append(f"- Machine: {cpu_model()}, {cores} cores (shared virtual machine), Linux {run['kernel']}. The load"
               " generator, the responder and the kernel's work for both share these cores.")
    out.append(f"- Method: per measurement a fresh namespace and TUN link (MTU {run['mtu']}, queue length"
               f" {run['queue_length']} packets), a fresh responder, and the load generator as its own JVM inside the"
               f" namespace: a sender thread keeps up to {'/'.join(str(w) for w in windows)} datagrams in flight"
               f" (written off as lost after {run['loss_timeout_ms']} ms without a reply), a receiver thread counts"
               f" the replies. Warm-up {run['warmup_s']:g} s, then {run['measure_s']:g} s measured;"
               f" {run['repeats']} repetition{'s' if run['repeats'] != 1 else ''}, the responders of one size"
               " taking turns in a rotated order"
               + (f", after one unrecorded {run['jvm_warmup_s']:g} s run of each responder to let the JIT compile it"
                  if run.get("jvm_warmup_s") else "")
               + ". Replies/s"
               " is the median of the repetitions, min–max their spread; *vs ceiling* compares medians of the same"
               " size; *lost* counts every repetition's datagrams without a reply, warm-up included.")
    out.append("- Loop: the responder's thread (`layer45-net ...` for the stack). *Loop µs/packet* is its CPU time"
               " during the measurement per packet the device handed it (user time in brackets; the rest is the"
               " kernel, in `read`, `write` and `ppoll` on the TUN device, and the write carries the kernel's"
               " receive path of the reply); *loop busy* the same CPU time in % of one core. *Load busy* is the"
               " load generator's process CPU time in % of one core, *machine busy* the cores in use"
               " (`/proc/stat`, median), everything on the machine included; in brackets the most any repetition saw"
               " used by others (machine busy less the benchmark's two processes): another workload sharing the"
               " cores. *Loop B/packet* is the bytes the loop thread"
               " allocated (`ThreadMXBean.getThreadAllocatedBytes`) per packet, the worst repetition; below"
               f" {ZERO_BYTES:.0f} B/packet counts as none.")
    out.append(f"- Command: `{args.invocation}`, which runs")
    out.append(f"  `{args.command}`")
    return "\n".join(out)



def main():
    args = report_arguments(__doc__, "udp", "the benchmark's results",
                            "the benchmark's command line, for the record").parse_args()
    args.quick_note = "--quick" in args.invocation
    publish(render(load_run(args.json), args), args, BEGIN, END, INTRO)


if __name__ == "__main__":
    main()
