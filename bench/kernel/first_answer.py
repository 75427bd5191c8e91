#!/usr/bin/python3
"""What a user feels when a notebook opens: launch -> the first trivial cell's reply (sent as soon
as the kernel answers kernel_info), the kernel's CPU-s by then, its CPU-s over the idle time after
it, and its resident memory at the end; this kernel beside ipykernel and IJava 1.3, started by
jupyter_client as the Jupyter server starts them, the kernels alternating within each round.

    export JUPYTER_DATA_DIR=$(mktemp -d)          # keep the user's kernelspecs out of it
    bin/research-kernel install --name rk17 --java /usr/lib/jvm/java-17-openjdk-amd64
    bin/research-kernel install --name rk25 --java "$JDK25"
    /usr/bin/python3 bench/kernel/first_answer.py --kernels rk17,rk25 --rounds 5 --idle 30

ipykernel (`python3-ipykernel`, Debian's /usr/bin/python3) and IJava (../shared/anchors/, on the
JVM named by --ijava-java, default the first kernel's) are given kernelspecs of their own in
JUPYTER_DATA_DIR, so the same jupyter_client code starts all of them. Prints medians as Markdown.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

from roundtrip import TRIVIAL, cpu_seconds, wait_reply

def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_start(name, idle):
    """Seconds to the first cell's reply, CPU-s by then, CPU-s in `idle` s after, MB resident."""
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        while True:  # resent until answered, as the Jupyter server does while a kernel boots
            try:
                wait_reply(kc, kc.kernel_info(), timeout=0.2)
                break
            except Exception:
                if time.perf_counter() - t0 > 120:
                    raise
        reply = wait_reply(kc, kc.execute(TRIVIAL), timeout=120)
        first = time.perf_counter() - t0
        assert reply["content"]["status"] == "ok", reply["content"]
        pid = km.provisioner.process.pid
        cpu_then = cpu_seconds(pid)
        time.sleep(idle)
        cpu_idle = cpu_seconds(pid) - cpu_then
        return first, cpu_then, cpu_idle, rss_mb(pid)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def write_kernelspec(data_dir, name, argv, display):
    d = os.path.join(data_dir, "kernels", name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kernel.json"), "w") as f:
        json.dump({"argv": argv, "display_name": display, "language": name,
                   "interrupt_mode": "message" if "java" in display.lower() else "signal"}, f)


def java_of(data_dir, name):
    with open(os.path.join(data_dir, "kernels", name, "kernel.json")) as f:
        return json.load(f)["argv"][0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernels", required=True, help="this kernel's kernelspec names, comma-separated")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--idle", type=float, default=30.0, help="seconds of idle after the first reply")
    ap.add_argument("--ijava-jar", default=os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                                         "shared", "anchors", "ijava-1.3.0.jar"))
    ap.add_argument("--ijava-java", help="java launcher for IJava (default: the first kernel's)")
    args = ap.parse_args()

    data_dir = os.environ.get("JUPYTER_DATA_DIR")
    if not data_dir:
        sys.exit("set JUPYTER_DATA_DIR to a folder of its own (see the usage at the top)")
    ours = args.kernels.split(",")
    write_kernelspec(data_dir, "bench-ipykernel",
                     ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"], "ipykernel")
    names = ours + ["bench-ipykernel"]
    if os.path.isfile(args.ijava_jar):
        java = args.ijava_java or java_of(data_dir, ours[0])
        write_kernelspec(data_dir, "bench-ijava", [java, "-jar", os.path.abspath(args.ijava_jar),
                                                   "{connection_file}"], "IJava 1.3.0")
        names.append("bench-ijava")
    results = {n: [] for n in names}
    load_start = os.getloadavg()
    for r in range(args.rounds):
        # rotate the order, so that no kernel always runs first (or right after another's exit)
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            results[name].append(one_start(name, args.idle))
    load_end = os.getloadavg()

    print(f"{args.rounds} starts each, {args.idle:g} s idle; load average at start {load_start}, at end {load_end}")
    print(f"CPU: {os.cpu_count()} cores; {subprocess.run(['uname', '-r'], capture_output=True, text=True).stdout.strip()}\n")
    base = statistics.median(x[0] for x in results["bench-ipykernel"])
    print("| kernel | launch -> first reply | vs ipykernel | CPU-s by then | CPU-s in idle | resident MB |")
    print("|---|---|---|---|---|---|")
    for name in names:
        rows = results[name]
        first = statistics.median(x[0] for x in rows)
        print(f"| `{name}` | {first:.2f} s | {first / base:.2f}x | {statistics.median(x[1] for x in rows):.2f} "
              f"| {statistics.median(x[2] for x in rows):.2f} | {statistics.median(x[3] for x in rows):.0f} |")
    print("\nall starts (first reply s, CPU-s by then, idle CPU-s, MB):")
    for name in names:
        print(f"  {name}: " + "; ".join(f"{a:.2f} {b:.2f} {c:.2f} {d:.0f}" for a, b, c, d in results[name]))


if __name__ == "__main__":
    main()
