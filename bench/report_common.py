"""What the benchmark report scripts share: number handling, formatting, the machine's description, and the
replacement of a script's own section of docs/benchmarks.md. Standard library only.

Each script puts its own directory on sys.path first, so the import works whatever the working directory.
"""

import argparse
import json
import math
import os
import platform
import re
import statistics
import sys


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def number(value):
    return math.nan if value is None else float(value)


def median(values):
    values = [v for v in values if not math.isnan(v)]
    return statistics.median(values) if values else math.nan


def fmt_pct(value):
    return "n/a" if math.isnan(value) else f"{100 * value:.0f}%"


def fmt_cores(value):
    return "n/a" if math.isnan(value) else f"{max(value, 0):.2f}"


def replace_section(path, section, begin, end, intro=None):
    """Replaces the text between the markers begin and end in path with section (appending it when they are
    missing); nothing else in the file is touched. A missing file is created with intro first, or is an error
    without one. Written to a temporary file and renamed, so an interrupted run leaves the old file whole."""
    block = f"{begin}\n{section}\n{end}"
    if intro is None or os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        if pattern.search(text):
            text = pattern.sub(lambda _: block, text, count=1)
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    else:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        text = intro + "\n" + block + "\n"
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def report_arguments(description, name, json_help, command_help, no_docs_help="only print (smoke or partial runs)"):
    """The options every report takes, called as bench/<name>.sh calls it; add more before parse_args()."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", required=True, help=json_help)
    parser.add_argument("--docs", help=f"Markdown file whose {name} section to replace")
    parser.add_argument("--no-docs", action="store_true", help=no_docs_help)
    parser.add_argument("--invocation", default=f"bench/{name}.sh", help="how the run was started")
    parser.add_argument("--command", default="", help=command_help)
    return parser


def load_run(path):
    """The results a benchmark class wrote; exits when they hold no measurement (a run that failed early)."""
    with open(path, encoding="utf-8") as f:
        run = json.load(f)
    if not run.get("cells"):
        sys.exit(f"{path} holds no results")
    return run


def publish(section, args, begin, end, intro=None):
    """Prints the section and, unless --no-docs, records it in --docs."""
    print(section)
    if args.docs and not args.no_docs:
        replace_section(args.docs, section, begin, end, intro)
        print(f"\n(recorded in {args.docs})", file=sys.stderr)
