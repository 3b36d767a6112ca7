#!/usr/bin/env python3
"""Renders the results of layer45.bench.OwnerBenchmark (bench/target/owner.json) as a Markdown section.

Prints the section to stdout and, with --docs, replaces the text between <!-- owner:begin --> and <!-- owner:end -->
in that file (appending the section when they are missing). Nothing else in the file is touched. Standard library
only; called by bench/owner.sh.
"""

import datetime
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # report_common, from any working directory
from report_common import cpu_model, load_run, number, publish, report_arguments  # noqa: E402

BEGIN = "<!-- owner:begin -->"
END = "<!-- owner:end -->"


def fmt_us(value):
    value = number(value)
    if math.isnan(value):
        return "n/a"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def new_flows_text(run):
    n = run.get("new_flows", 0)
    return f"; {n:,} new flows per N, each looked up once, in a row after the others" if n else ""


def render(run, args):
    cells = sorted(run["cells"], key=lambda c: (c["processes"], c["transport"], c["cache"] != "cold"))
    out = []
    out.append("## Owner lookup: µs per flow")
    out.append("")
    out.append("`OwnerLookup.find` finds the process and thread owning a flow's socket in a namespace: sock_diag over")
    out.append("netlink for the socket, `/proc` for its holder, then names and thread. A namespace holds N idle")
    out.append("processes (`sleep`), each with a TCP connection and a connected UDP socket, and the program that")
    out.append("started them, holding the N accepted connections. *Cold*: the cache is cleared before each lookup, so")
    out.append("each scans `/proc` (every process of the machine for its namespace, then every descriptor of the")
    out.append("namespace's); *warm*: an earlier scan indexed every socket, so a lookup checks its cached holder")
    out.append("with one `readlink`; *new flows*: the program opens one more TCP connection at a time and keeps it,")
    out.append("and each is looked up at once, a socket no lookup saw before (what the relay does for every new flow).")
    out.append("Source: `bench/src/main/java/layer45/bench/OwnerBenchmark.java`.")
    out.append("")
    if "--quick" in args.invocation:
        out.append("**Smoke run (`--quick`): not a result to quote.**")
        out.append("")
    out.append("| processes in namespace | on the machine | transport | cache | lookups | median µs | p90 µs "
               "| min–max µs | sock_diag µs | holders µs | names, thread µs | owners right |")
    out.append("| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for c in cells:
        right = f'{c["correct"]} of {c["lookups"]}'
        if c["correct"] != c["lookups"]:
            right = f"**{right}**"
        out.append(f'| {c["namespace_processes"]:,} | {c["host_processes"]:,} | {c["transport"].upper()} | {c["cache"]}'
                   f' | {c["lookups"]:,} | {fmt_us(c["median_us"])} | {fmt_us(c["p90_us"])}'
                   f' | {fmt_us(c["min_us"])}–{fmt_us(c["max_us"])} | {fmt_us(c["netlink_us"])}'
                   f' | {fmt_us(c["holder_us"])} | {fmt_us(c["thread_us"])} | {right} |')
    out.append("")
    started = datetime.datetime.fromisoformat(run["started"].replace("Z", "+00:00"))
    out.append(f"- When: {started.strftime('%Y-%m-%d %H:%M UTC')} (start of the run); it took "
               f"{run['elapsed_s']:.0f} s.")
    out.append(f"- JDK: {run['jdk']}; JVM flags `{run['jvm_flags']}`.")
    out.append(f"- Machine: {cpu_model()}, {run['cores']} cores (shared virtual machine), Linux {run['kernel']}.")
    out.append(f"- Method: per N a fresh namespace; {run['cold_lookups']} cold and {run['warm_lookups']} warm lookups"
               " per transport, each of a random child's socket, timed one by one (`System.nanoTime`) after"
               f" {run['jit_warmup_lookups']:,} unrecorded lookups that let the JIT compile the code. The three last columns split the mean time"
               " by the lookup's own counters: sock_diag (the netlink request, one at a time per namespace), holders"
               " (cache check or scan), names and thread (`comm`, the thread list). *Owners right*: the lookup named"
               f" the child's pid and thread (for new flows, the program's pid){new_flows_text(run)}. Time box {run['time_box_ms']} ms, other limits the defaults"
               " (`OwnerLimits.DEFAULTS`, cache large enough for every socket).")
    out.append(f"- Command: `{args.invocation}`, which runs")
    out.append(f"  `{args.command}`")
    return "\n".join(out)


def main():
    args = report_arguments(__doc__, "owner", "the benchmark's results",
                            "the benchmark's command line, for the record").parse_args()
    publish(render(load_run(args.json), args), args, BEGIN, END)


if __name__ == "__main__":
    main()
