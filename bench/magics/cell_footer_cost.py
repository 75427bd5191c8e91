#!/usr/bin/python3
"""What cost footers and cell accounting add to a trivial cell's round trip: one kernel, blocks of
trivial cells with `%monitoring cells off` and `on` alternating, so both see the same machine and
the same warmed JIT. Prints the medians and the difference (issue 28 allows 0.2 ms).

    JUPYTER_DATA_DIR=/tmp/jd bin/research-kernel install --name java-cost
    JUPYTER_DATA_DIR=/tmp/jd /usr/bin/python3 bench/magics/cell_footer_cost.py --kernel java-cost
"""
import argparse
import os
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

# the kernel benches' reading of a process's CPU from /proc
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel"))
from roundtrip import cpu_seconds  # noqa: E402


def run(kc, code):
    s = time.perf_counter()
    msg_id = kc.execute(code)
    while kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
        pass
    while True:  # the footer is output: a round trip ends when the kernel is idle again
        m = kc.get_iopub_msg(timeout=60)
        if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle"):
            return time.perf_counter() - s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="java")
    ap.add_argument("--blocks", type=int, default=10)
    ap.add_argument("--cells", type=int, default=100, help="trivial cells per block")
    a = ap.parse_args()
    km = KernelManager(kernel_name=a.kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    try:
        for _ in range(200):
            run(kc, "1 + 1")
        times = {"off": [], "on": []}
        cpu = {"off": [], "on": []}
        pid = km.provisioner.process.pid
        for _ in range(a.blocks):
            for state in ("off", "on"):
                run(kc, "%monitoring cells " + state)
                before = cpu_seconds(pid)
                for _ in range(a.cells):
                    times[state].append(run(kc, "1 + 1"))
                cpu[state].append((cpu_seconds(pid) - before) / a.cells)
        off = statistics.median(times["off"]) * 1e3
        on = statistics.median(times["on"]) * 1e3
        cpu_off = statistics.median(cpu["off"]) * 1e3
        cpu_on = statistics.median(cpu["on"]) * 1e3
        print(f"| cells {a.blocks * a.cells} each | footers off | footers on | added |")
        print("|---|---|---|---|")
        print(f"| trivial cell round trip, median | {off:.3f} ms | {on:.3f} ms | {on - off:+.3f} ms |")
        print(f"| kernel process CPU per cell, median of blocks | {cpu_off:.3f} ms | {cpu_on:.3f} ms "
              f"| {cpu_on - cpu_off:+.3f} ms |")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
