#!/usr/bin/python3
"""Where a kernel's CPU goes over its first trivial cells: each thread's CPU time (Linux /proc, by
thread name: the cell's thread, the JIT's compiler threads, the socket threads) per cell, driven by
jupyter_client, after --settle seconds of waiting from the first kernel_info reply.

    /usr/bin/python3 bench/kernel/threadcpu.py --kernel java --cells 220 --settle 0
"""
import argparse
import glob
import statistics
import time

from jupyter_client.manager import KernelManager

from roundtrip import TRIVIAL, stat_cpu_seconds, wait_idle, wait_reply


def thread_cpu(pid):
    """CPU seconds of each live thread of `pid`, by its /proc task folder: (name, seconds)."""
    threads = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            with open(task + "/comm") as f:
                name = f.read().strip()
            threads[task] = (name, stat_cpu_seconds(task + "/stat"))
        except OSError:
            continue  # the thread ended between the listing and the read
    return threads


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", default="java", help="kernelspec name")
    ap.add_argument("--cells", type=int, default=220)
    ap.add_argument("--settle", type=float, default=0.0)
    ap.add_argument("--top", type=int, default=8, help="threads shown, the busiest first")
    args = ap.parse_args()
    km = KernelManager(kernel_name=args.kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        time.sleep(args.settle)
        pid = km.provisioner.process.pid
        before = thread_cpu(pid)
        times = []
        for _ in range(args.cells):
            start = time.perf_counter()
            msg_id = kc.execute(TRIVIAL)
            wait_reply(kc, msg_id)
            wait_idle(kc, msg_id)
            times.append(time.perf_counter() - start)
        after = thread_cpu(pid)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    per_name = {}
    for task, (name, seconds) in after.items():
        per_name[name] = per_name.get(name, 0.0) + seconds - before.get(task, (name, 0.0))[1]
    print(f"`{args.kernel}`, {args.cells} cells {args.settle:g} s after kernel_info: round trip median "
          f"{statistics.median(times) * 1e3:.2f} ms, mean {statistics.mean(times) * 1e3:.2f} ms")
    print("| thread | CPU per cell |\n|---|---|")
    for name, seconds in sorted(per_name.items(), key=lambda kv: -kv[1])[:args.top]:
        print(f"| {name} | {seconds * 1e3 / args.cells:.2f} ms |")
    print(f"| all threads | {sum(per_name.values()) * 1e3 / args.cells:.2f} ms |")


if __name__ == "__main__":
    main()
