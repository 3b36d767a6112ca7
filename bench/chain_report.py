#!/usr/bin/env python3
"""Renders the JMH results of layer45.bench.ChainBenchmark (bench/target/chain.json) as a Markdown section.

Prints the section to stdout and, with --docs, replaces the text between <!-- chain:begin --> and
<!-- chain:end --> in that file (creating the file, or appending the section, when they are missing). Nothing
else in the file is touched. Standard library only; called by bench/chain.sh.
"""

import datetime
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # report_common, from any working directory
from report_common import cpu_model, publish, report_arguments  # noqa: E402

BEGIN = "<!-- chain:begin -->"
END = "<!-- chain:end -->"

INTRO = """# Benchmarks

Micro-benchmarks of layer45's hot paths, each recorded by the script that runs it. Numbers come from the
development machines (2 cores, shared, virtualized): compare them with each other and over time, not with other
hardware. Each section below is rewritten by its script; edit the text around them freely.
"""

# Allocation below this many bytes per chunk counts as none: a single object is at least 16 bytes, so 0.1 B/op is
# one object every 160 chunks or fewer, and JMH's own bookkeeping shows up as 10^-3 to 10^-4 B/op.
ZERO_BYTES = 0.1
PASS_NS = 200.0

SCENARIOS = {
    "none": "no module attached",
    "pass": "1 module, NO_CUSTOMIZATION",
    "rewrite1k": "1 module: XOR rewrite of the chunk, DELIVER",
    "five": "5 modules of 5 classes: 4 x TRY_NEXT, then NO_CUSTOMIZATION",
}
ORDER = ["none", "pass", "rewrite1k", "five"]


def number(value):
    """JMH writes NaN as a string."""
    try:
        result = float(value)
    except (TypeError, ValueError):
        return math.nan
    return result


def fmt_ns(value):
    if math.isnan(value):
        return "n/a"
    return f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def fmt_bytes(value):
    if value is None or math.isnan(value):
        return "n/a"
    if value < ZERO_BYTES:
        return f"0 ({value:.0e})" if value > 0 else "0"
    return f"{value:.1f}"



def load(path):
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)
    rows = []
    for e in entries:
        method = e["benchmark"].rsplit(".", 1)[-1]
        params = e.get("params", {})
        pm = e["primaryMetric"]
        raw = [x for fork in pm.get("rawData", []) for x in fork]
        norm = e.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        gcs = e.get("secondaryMetrics", {}).get("gc.count")
        rows.append({
            "method": method,
            "scenario": params.get("scenario", "baseline" if method == "baseline" else method),
            "size": int(params.get("chunkSize", "0")),
            "score": number(pm["score"]),
            "error": number(pm.get("scoreError")),
            "unit": pm.get("scoreUnit", ""),
            "min": min(raw) if raw else math.nan,
            "max": max(raw) if raw else math.nan,
            "samples": len(raw),
            "bytes": number(norm["score"]) if norm else None,
            "gcs": sum(x for fork in gcs.get("rawData", []) for x in fork) if gcs else None,
            "entry": e,
        })
    return rows


def goal_and_verdict(row):
    """The goal of the issue: pass-through under 200 ns, zero allocation per chunk on the hot path."""
    goals = []
    verdicts = []
    if row["scenario"] == "pass":
        goals.append(f"< {PASS_NS:.0f} ns")
        upper = row["score"] + (0 if math.isnan(row["error"]) else row["error"])
        if upper < PASS_NS:
            verdicts.append("met")
        elif row["score"] < PASS_NS:
            verdicts.append("borderline (error bar crosses the goal)")
        else:
            verdicts.append("**not met** (time)")
    goals.append("0 B/op")
    if row["bytes"] is None or math.isnan(row["bytes"]):
        verdicts.append("unknown (run with -prof gc)")
    elif row["bytes"] < ZERO_BYTES:
        verdicts.append("met")
    else:
        verdicts.append("**not met** (allocates)")
    verdict = "met" if all(v == "met" for v in verdicts) else "; ".join(v for v in verdicts if v != "met")
    return ", ".join(goals), verdict


def render(rows, args):
    baseline = {r["size"]: r for r in rows if r["method"] == "baseline"}
    chain = [r for r in rows if r["method"] != "baseline"]
    chain.sort(key=lambda r: (r["size"] != 1024, r["size"], ORDER.index(r["scenario"])
                              if r["scenario"] in ORDER else 99))
    first = rows[0]["entry"]
    forks = first.get("forks")
    meas = f'{first.get("measurementIterations")} x {first.get("measurementTime")}'
    warm = f'{first.get("warmupIterations")} x {first.get("warmupTime")}'
    finished = datetime.datetime.fromtimestamp(os.path.getmtime(args.json), datetime.timezone.utc)
    now = finished.strftime("%Y-%m-%d %H:%M UTC")
    jdk = f'{first.get("jdkVersion")} ({first.get("vmName")} {first.get("vmVersion")})'
    out = []
    out.append("## Chain: per-chunk cost")
    out.append("")
    out.append("One operation is one chunk through `TappedFlow.process(SEND, segment, sink)` on an open TCP flow of a")
    out.append("standalone `Layer45Runtime`: lock, chain, views lent to each module, counters, delivery to a sink that")
    out.append("counts the bytes. The chunk is one direct `ByteBuffer`. `baseline` hands the same buffer to the same sink")
    out.append("without the runtime; *over baseline* is the runtime's own cost. Source:")
    out.append("`bench/src/main/java/layer45/bench/ChainBenchmark.java`.")
    out.append("")
    if args.quick_note:
        out.append("**Smoke run (`--quick`): not a result to quote.**")
        out.append("")
    out.append("| scenario | chunk | ns/op (score ± error) | min–max | over baseline | B/op | goal | verdict |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for r in chain:
        base = baseline.get(r["size"])
        over = fmt_ns(r["score"] - base["score"]) if base else "n/a"
        error = "" if math.isnan(r["error"]) else f' ± {fmt_ns(r["error"])}'
        goal, verdict = goal_and_verdict(r)
        label = f'`{r["scenario"]}` ({SCENARIOS.get(r["scenario"], r["method"])})'
        out.append(f'| {label} | {r["size"]} B | {fmt_ns(r["score"])}{error} | {fmt_ns(r["min"])}–{fmt_ns(r["max"])}'
                   f' | {over} | {fmt_bytes(r["bytes"])} | {goal} | {verdict} |')
    for size in sorted(baseline):
        r = baseline[size]
        error = "" if math.isnan(r["error"]) else f' ± {fmt_ns(r["error"])}'
        out.append(f'| `baseline` (sink only, no runtime) | {size} B | {fmt_ns(r["score"])}{error} | '
                   f'{fmt_ns(r["min"])}–{fmt_ns(r["max"])} | — | {fmt_bytes(r["bytes"])} | reference | — |')
    out.append("")
    gcs = [r["gcs"] for r in chain if r["gcs"] is not None]
    out.append(f"- When: {now} (end of the run); JMH took {args.elapsed} s.")
    out.append(f"- JDK: {jdk}; JMH {first.get('jmhVersion')}; JVM flags `{' '.join(first.get('jvmArgs', []))}`.")
    out.append(f"- CPU: {cpu_model()}, {os.cpu_count()} cores (shared virtual machine: expect a few ns of noise).")
    out.append(f"- Method: `@BenchmarkMode(AverageTime)`, {forks} forks, warm-up {warm}, measurement {meas} per fork;"
               f" error is JMH's 99.9% confidence interval, min–max spans every measurement iteration of every"
               f" fork.")
    out.append(f"- Allocation: `gc.alloc.rate.norm` of `-prof gc` (all threads' allocation divided by operations);"
               f" below {ZERO_BYTES} B/op counts as zero (one 16-byte object per 160 chunks would be 0.1)."
               + (f" Garbage collections during the chain measurements: {sum(gcs):.0f}." if gcs else ""))
    out.append(f"- Command: `{args.invocation}`, which runs")
    out.append(f"  `{args.command}`")
    return "\n".join(out)



def main():
    parser = report_arguments(__doc__, "chain", "JMH results (-rf json)", "the JMH command line, for the record")
    parser.add_argument("--elapsed", default="?", help="seconds the run took")
    args = parser.parse_args()
    args.quick_note = "--quick" in args.invocation
    rows = load(args.json)
    if not rows:
        sys.exit(f"{args.json} holds no results")
    publish(render(rows, args), args, BEGIN, END, INTRO)


if __name__ == "__main__":
    main()
