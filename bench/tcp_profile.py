#!/usr/bin/env python3
"""Where the stack's loop thread spends its time in the TCP benchmark: reads JFR recordings made by
bench/tcp.sh --profile (one per test and MTU, the `stack` responder only) and sorts the loop thread's samples into
a few categories, as a Markdown table.

Java samples are jdk.ExecutionSample events, samples in native code (the TUN device's read, write and ppoll calls
through FFM) jdk.NativeMethodSample events; both of the thread `layer45-net ...`. Prints the table and, with
--docs, replaces the text between <!-- tcp-profile:begin --> and <!-- tcp-profile:end --> in that file (appending
it when they are missing). Standard library only, plus the JDK's `jfr` tool.
"""

import argparse
import collections
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # report_common, from any working directory
from report_common import replace_section  # noqa: E402

BEGIN = "<!-- tcp-profile:begin -->"
END = "<!-- tcp-profile:end -->"
THREAD = "layer45-net"

CATEGORIES = [
    "TUN write (syscall; carries the kernel's receive path)",
    "TUN read (syscall)",
    "waiting for the device (ppoll)",
    "copies: payload into and out of TCP's buffers",
    "checksums (Internet checksum over every segment)",
    "TCP: segment processing, ACKs, timers, handlers",
    "IP layer, device and header parsing (Java)",
    "customization chain (TappedStream, runtime)",
    "other (JDK, FFM glue, the loop)",
]

COPY_FRAMES = ("TcpConnection.receiveText", "ReceiveBuffer.copyIn", "ReceiveBuffer.write", "ReceiveBuffer.copyOut",
               "SendBuffer.write", "SendBuffer.copyTo", "TcpSource$Handler.writable", "copyMemory")


def samples(jfr, path, event):
    text = subprocess.run([jfr, "print", "--stack-depth", "64", "--events", event, path], capture_output=True,
                          text=True, check=True).stdout
    out = []
    for block in text.split(event + " {")[1:]:
        if THREAD not in block:
            continue
        frames = re.findall(r"^\s+([\w.$<>]+)\(", block, re.M)
        if frames:
            out.append(frames)
    return out


def category(frames, native):
    if native:
        for f in frames:
            if "TunDevice.transmit" in f:
                return CATEGORIES[0]
            if "TunDevice.readPacket" in f or "TunDevice.receive" in f:
                return CATEGORIES[1]
            if "TunDevice.await" in f:
                return CATEGORIES[2]
        return CATEGORIES[8]
    top = frames[0]
    if "wire.Checksum" in top:
        return CATEGORIES[4]
    if any(c in top for c in COPY_FRAMES):
        return CATEGORIES[3]
    if any("TappedStream" in f or f.startswith("layer45.runtime") for f in frames[:8]):
        return CATEGORIES[7]
    if top.startswith("layer45.mnet.socket.tcp") or top.startswith("layer45.mnet.wire.Tcp") \
            or top.startswith("layer45.mnet.service"):
        return CATEGORIES[5]
    if top.startswith("layer45.mnet."):
        return CATEGORIES[6]
    return CATEGORIES[8]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jfr", default="jfr", help="the JDK's jfr tool")
    parser.add_argument("--docs", help="Markdown file whose tcp-profile section to replace")
    parser.add_argument("--note", default="", help="a line about the run, printed under the table")
    parser.add_argument("recordings", nargs="+", help="TEST-MTU=FILE.jfr, one per column")
    args = parser.parse_args()
    columns = []
    for spec in args.recordings:
        label, path = spec.split("=", 1)
        counts = collections.Counter()
        java = samples(args.jfr, path, "jdk.ExecutionSample")
        native = samples(args.jfr, path, "jdk.NativeMethodSample")
        for frames in java:
            counts[category(frames, False)] += 1
        for frames in native:
            counts[category(frames, True)] += 1
        columns.append((label, counts, len(java) + len(native)))
    out = ["### Where the loop thread's time goes (JFR)", "",
           "Share of the stack's loop thread samples (`layer45-net ...`, Java and native together) by what it was"
           " doing, for the `stack` responder, one JFR recording per test and MTU (`bench/tcp.sh --profile`;"
           " sorted by `bench/tcp_profile.py`).", ""]
    out.append("| what | " + " | ".join(f"`{label}`" for label, _, _ in columns) + " |")
    out.append("| --- | " + " | ".join("---:" for _ in columns) + " |")
    for cat in CATEGORIES:
        if not any(counts[cat] for _, counts, _ in columns):
            continue
        cells = [f"{100 * counts[cat] / total:.0f}%" if total else "n/a" for _, counts, total in columns]
        out.append(f"| {cat} | " + " | ".join(cells) + " |")
    out.append("| samples | " + " | ".join(str(total) for _, _, total in columns) + " |")
    if args.note:
        out.extend(["", args.note])
    section = "\n".join(out)
    print(section)
    if args.docs:
        replace_section(args.docs, section, BEGIN, END)
        print(f"\n(recorded in {args.docs})", file=sys.stderr)


if __name__ == "__main__":
    main()
