#!/usr/bin/python3
"""Where the layer45 runtime spends its time in the peers benchmark: reads the JFR recordings that
bench/peers.sh --profile made (one per measurement through layer45, named WORKLOAD-DIRECTION-MTU-PATH.jfr) and sorts
the runtime's samples by thread and by what the thread was doing, as Markdown tables, with the hottest frames.

The stack's loop thread (`layer45-net ...`) is sorted as bench/tcp_profile.py sorts it; the relay's threads
(`layer45-relay-up/down ...`, virtual, one pair per connection: they run the customization chain and the host
socket's I/O) by the code on their stack. Java samples are jdk.ExecutionSample events, samples in native code
jdk.NativeMethodSample events. Prints the tables and, with --docs, replaces the text between
<!-- peers-profile:begin --> and <!-- peers-profile:end --> in that file. Standard library only, plus the JDK's jfr.
"""

import argparse
import collections
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # report_common, tcp_profile
from report_common import publish  # noqa: E402
import tcp_profile  # noqa: E402

BEGIN = "<!-- peers-profile:begin -->"
END = "<!-- peers-profile:end -->"

RELAY = [
    "relay: customization module code (and the views it reads through)",
    "relay: customization runtime (chain, outputs, bookkeeping)",
    "relay: host socket I/O (JDK NIO, system calls)",
    "relay: rings between the loop and the relay threads",
    "relay: other",
]
SCHEDULING = "virtual thread scheduling (carrier threads, pollers)"
OTHER = "other threads, Java code (framework, shell, JDK)"


def samples(jfr, path, event):
    """(thread name, frames top first) of every sample of the event."""
    text = subprocess.run([jfr, "print", "--stack-depth", "64", "--events", event, path], capture_output=True,
                          text=True, check=True).stdout
    out = []
    for block in text.split(event + " {")[1:]:
        thread = re.search(r'sampledThread = "([^"]*)"', block)
        frames = re.findall(r"^\s+([\w.$<>]+)\(", block, re.M)
        if thread and frames:
            out.append((thread.group(1), frames))
    return out


def relay_category(frames):
    if any(f.startswith("layer45.customizations.") for f in frames):
        return RELAY[0]
    top = frames[0]
    if top.startswith("sun.nio.ch.") or top.startswith("java.net.") or "SocketDispatcher" in top:
        return RELAY[2]
    if any(f.startswith("layer45.runtime.") for f in frames):
        return RELAY[1]
    if any("ByteRing" in f for f in frames[:4]):
        return RELAY[3]
    if any(f.startswith("sun.nio.ch.") for f in frames[:6]):
        return RELAY[2]
    return RELAY[4]


def category(thread, frames, native):
    if thread.startswith(tcp_profile.THREAD):
        return "loop: " + tcp_profile.category(frames, native)
    if thread.startswith("layer45-relay-"):
        return relay_category(frames)
    if native:
        return None  # a thread of the framework or the shell, blocked in a system call: idle
    if thread.startswith("ForkJoinPool") or "Poller" in thread:
        return SCHEDULING
    return OTHER


def label_of(path):
    return os.path.basename(path)[:-len(".jfr")]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jfr", default="jfr", help="the JDK's jfr tool")
    parser.add_argument("--docs", help="Markdown file whose peers-profile section to replace")
    parser.add_argument("--note", default="", help="a line about the run, printed under the tables")
    parser.add_argument("--top", type=int, default=12, help="hottest frames to list per recording")
    parser.add_argument("recordings", nargs="+", help="the .jfr files, one per column")
    parser.set_defaults(no_docs=False)  # publish() asks
    args = parser.parse_args()
    columns = []
    for path in sorted(args.recordings):
        counts = collections.Counter()
        threads = collections.Counter()
        tops = collections.Counter()
        total = 0
        for event, native in (("jdk.ExecutionSample", False), ("jdk.NativeMethodSample", True)):
            for thread, frames in samples(args.jfr, path, event):
                cat = category(thread, frames, native)
                if cat is None:
                    continue
                total += 1
                counts[cat] += 1
                threads["loop" if thread.startswith(tcp_profile.THREAD) else
                        "relay" if thread.startswith("layer45-relay-") else "other"] += 1
                if not native and thread.startswith("layer45-relay-"):
                    tops[frames[0]] += 1
        columns.append((label_of(path), counts, threads, tops, total))
    cats = ["loop: " + c for c in tcp_profile.CATEGORIES] + RELAY + [SCHEDULING, OTHER]
    out = ["### Where the runtime's time goes (JFR)", "",
           "Share of the runtime's samples in each recording (Java and native; native samples of other threads, idle"
           " in system calls, left out): the stack's loop thread sorted as"
           " in the TCP profile above, the relay's threads (a pair per connection, running the customization chain"
           " and the host socket's I/O) by the code on their stack. Recorded by `bench/peers.sh --profile`, one"
           " recording per measurement (jcmd `JFR.start`/`JFR.stop` around the client), sorted by"
           " `bench/peers_profile.py`.", ""]
    out.append("| what | " + " | ".join(f"`{label}`" for label, *_ in columns) + " |")
    out.append("| --- | " + " | ".join("---:" for _ in columns) + " |")
    for cat in cats:
        if not any(c[1][cat] for c in columns):
            continue
        out.append(f"| {cat} | " + " | ".join(f"{100 * counts[cat] / total:.0f}%" if total else "n/a"
                                             for _, counts, _, _, total in columns) + " |")
    out.append("| samples counted (loop / relay / other threads) | " + " | ".join(
        f"{total} ({threads['loop']} / {threads['relay']} / {threads['other']})"
        for _, _, threads, _, total in columns) + " |")
    for label, _, _, tops, _ in columns:
        java = sum(tops.values())
        if not java or "tags" not in label:
            continue
        out += ["", f"Hottest frames of the relay threads (top of stack, Java samples) in `{label}`:", "",
                "| frame | share of the relay threads' Java samples |", "| --- | ---: |"]
        out += [f"| `{frame}` | {100 * n / java:.0f}% |" for frame, n in tops.most_common(args.top)]
    if args.note:
        out += ["", args.note]
    publish("\n".join(out), args, BEGIN, END)


if __name__ == "__main__":
    main()
