#!/usr/bin/python3
"""Where the JIT's time goes while a fresh kernel answers its first cells, sent at once through the
Jupyter protocol: the kernel runs under HotSpot's -XX:+LogCompilation, and each compile's time (its
start to its end, so time spent waiting for a core counts too) is summed by the code compiled and
by tier. Run from the repository root against an installed kernelspec:

    /usr/bin/python3 bench/kernel/compile_time.py --kernelspec "$JUPYTER_DATA_DIR/kernels/java" --cells 220

Tiers: 1 C1 without profiling, 2 C1 with counters, 3 C1 with full profiling, 4 C2.
"""
import argparse
import collections
import json
import os
import re
import shutil
import tempfile

from jupyter_client.manager import KernelManager

# first match wins: the kernelspec's C1-only code (KernelspecInstaller.C1_CODE) first, then the rest
GROUPS = (
    ("javac, JShell, class-file readers", ("com.sun.tools.javac.", "com.sun.source.", "jdk.jshell.",
                                           "jdk.internal.jimage.", "jdk.internal.jrtfs.", "jdk.nio.zipfs.")),
    ("jeromq, jjava, the kernel's Jackson", ("zmq.", "org.zeromq.", "org.dflib.", "dev.researchmon.shaded.",
                                             "com.fasterxml.")),
    ("the JDK", ("java.", "javax.", "jdk.", "sun.", "com.sun.")),
    ("the kernel", ("dev.researchmon.",)),
    ("cells", ("REPL.",)),
)
ATTRIBUTE = re.compile(r"(\w+)='([^']*)'")


def group_of(method):
    for label, prefixes in GROUPS:
        if method.startswith(prefixes):
            return label
    return "other"


def compiles(log_text):
    """(group, tier, seconds) of every compile in a LogCompilation file."""
    task = None
    for line in log_text.splitlines():
        if line.startswith("<task "):
            task = dict(ATTRIBUTE.findall(line))
        elif line.startswith("<task_done") and task is not None:
            done = dict(ATTRIBUTE.findall(line))
            method = task["method"].replace("/", ".")
            # C2's tasks carry no level attribute
            yield group_of(method), int(task.get("level", "4")), float(done["stamp"]) - float(task["stamp"])
            task = None


def run_kernel(kernelspec, cells, log_file):
    """Starts a copy of the kernelspec with compilation logging, sends `cells` trivial cells one
    after the other from the first kernel_info reply on, and shuts the kernel down (the log is
    written out at exit)."""
    with tempfile.TemporaryDirectory() as data:
        spec_dir = os.path.join(data, "kernels", "compile-time")
        shutil.copytree(kernelspec, spec_dir)
        spec_file = os.path.join(spec_dir, "kernel.json")
        with open(spec_file) as f:
            spec = json.load(f)
        argv = spec["argv"]
        jar = argv.index("-jar")
        extra = ["-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", f"-XX:LogFile={log_file}"]
        spec["argv"] = argv[:jar] + extra + argv[jar:]
        with open(spec_file, "w") as f:
            json.dump(spec, f)
        os.environ["JUPYTER_DATA_DIR"] = data
        km = KernelManager(kernel_name="compile-time")
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            for _ in range(cells):
                reply = kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda msg: None)
                assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernelspec", required=True, help="an installed kernelspec folder (kernel.json inside)")
    ap.add_argument("--cells", type=int, default=220)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        log_file = os.path.join(work, "compilation.log")
        run_kernel(os.path.abspath(args.kernelspec), args.cells, log_file)
        with open(log_file, errors="replace") as f:
            log_text = f.read()
    seconds = collections.Counter()
    count = collections.Counter()
    for group, tier, s in compiles(log_text):
        seconds[(group, tier)] += s
        count[(group, tier)] += 1
    print(f"compile time (s) and compiles, JVM start to the end of {args.cells} cells sent at once:")
    print("| code | tier 1 | tier 2 | tier 3 | tier 4 (C2) | all |\n|---|---|---|---|---|---|")
    labels = [label for label, _ in GROUPS] + ["other"]
    for label in labels:
        cells = [f"{seconds[(label, t)]:.2f} ({count[(label, t)]})" for t in (1, 2, 3, 4)]
        total = sum(seconds[(label, t)] for t in (1, 2, 3, 4))
        print(f"| {label} | " + " | ".join(cells) + f" | {total:.2f} |")
    c2 = sum(v for (g, t), v in seconds.items() if t == 4)
    print(f"\nall compiles {sum(seconds.values()):.2f} s, C2 {c2:.2f} s")


if __name__ == "__main__":
    main()
