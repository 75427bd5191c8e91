#!/usr/bin/python3
"""Kernel start-up and trivial-cell round trip: this Java kernel against Debian's ipykernel, driven
by the same jupyter_client code in one run, alternating the kernels so that both see the same
machine state. Prints medians and the ratio as a Markdown table.

    bin/research-kernel install --name java-bench                 # into JUPYTER_DATA_DIR if set
    bin/research-kernel install --name java-bench-full --full-jit
    /usr/bin/python3 bench/kernel/roundtrip.py --java java-bench,java-bench-full --rounds 5
"""
import argparse
import collections
import os
import re
import statistics
import time

from jupyter_client.manager import KernelManager

TRIVIAL = "1 + 1"  # valid Java and Python: the same source on both sides
EMPTY = ""  # no code at all: what the protocol layer alone costs


def wait_reply(kc, msg_id, timeout=60):
    while True:
        msg = kc.get_shell_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def wait_idle(kc, msg_id, timeout=60):
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return


def stat_cpu_seconds(stat_path):
    """User + system CPU so far of the process or thread whose /proc `stat` file this is."""
    with open(stat_path) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU of a process so far (Linux /proc), to tell the kernel's own work from
    waiting for a core on a loaded machine."""
    return stat_cpu_seconds(f"/proc/{pid}/stat")


def thread_cpu_ns(pid):
    """Each live thread's CPU so far, in nanoseconds, summed by name (digits folded: the JIT's
    compiler threads, ZeroMQ's I/O threads), from /proc's schedstat: its stat counts in 10 ms
    ticks, too coarse for what a millisecond cell adds. A thread that ended between two readings
    takes its time with it."""
    totals = collections.Counter()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/comm") as f:
                name = re.sub(r"\d+", "N", f.read().strip())
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                totals[name] += int(f.read().split()[0])
        except (OSError, ValueError):
            pass  # the thread ended meanwhile
    return totals


def cpu_seconds_fine(pid):
    """The process's CPU so far to the nanosecond: its live threads' schedstat, summed."""
    return sum(thread_cpu_ns(pid).values()) / 1e9


def round_trips(kc, code, cells, warmup):
    """The measured cells' round trips, after `warmup` unmeasured ones; and the very first cell's."""
    times = []
    first = None
    for i in range(warmup + cells):
        s = time.perf_counter()
        msg_id = kc.execute(code)
        reply = wait_reply(kc, msg_id)
        wait_idle(kc, msg_id)
        e = time.perf_counter() - s
        assert reply["content"]["status"] == "ok", reply["content"]
        if first is None:
            first = e
        if i >= warmup:
            times.append(e)
    return times, first


def one_round(kernel_name, cells, warmup, settle=0.0):
    """Start-up time to the first kernel_info reply, then round trips of the trivial and the empty
    cell, and the first trivial cell's (seconds)."""
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        # kernel_info is resent until answered, as clients do while a kernel boots
        while True:
            msg_id = kc.kernel_info()
            try:
                wait_reply(kc, msg_id, timeout=0.2)
                break
            except Exception:
                if time.perf_counter() - t0 > 60:
                    raise
        startup = time.perf_counter() - t0
        # iopub subscriptions take a moment: wait until status messages arrive before timing cells
        while True:
            wait_reply(kc, kc.kernel_info())
            try:
                kc.get_iopub_msg(timeout=0.2)
                break
            except Exception:
                pass
        while True:
            try:
                kc.get_iopub_msg(timeout=0.05)
            except Exception:
                break
        # a user reads the notebook for a while before running cells: the same wait for every kernel
        time.sleep(settle)
        pid = km.provisioner.process.pid
        cpu_before = cpu_seconds(pid)
        trivial, first = round_trips(kc, TRIVIAL, cells, warmup)
        cpu = (cpu_seconds(pid) - cpu_before) / (cells + warmup)
        empty, _ = round_trips(kc, EMPTY, cells, warmup)
        return startup, trivial, empty, cpu, first
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--java", default="java",
                    help="kernelspec name(s) of this kernel, comma-separated (e.g. java,java-full)")
    ap.add_argument("--python", default="python3", help="kernelspec name of ipykernel")
    ap.add_argument("--rounds", type=int, default=5, help="kernel starts per kernel")
    ap.add_argument("--cells", type=int, default=200, help="measured cells per start")
    ap.add_argument("--warmup", type=int, default=20, help="cells run first and not measured")
    ap.add_argument("--settle", type=float, default=0.0,
                    help="seconds between the first kernel_info reply and the first cell, for every kernel")
    args = ap.parse_args()

    load_start = os.getloadavg()
    javas = args.java.split(",")
    p = args.python
    names = javas + [p]
    startups = {n: [] for n in names}
    cells = {n: [] for n in names}
    empties = {n: [] for n in names}
    cpus = {n: [] for n in names}
    firsts = {n: [] for n in names}
    for _ in range(args.rounds):
        for name in names:
            s, t, e, c, f = one_round(name, args.cells, args.warmup, args.settle)
            firsts[name].append(f)
            startups[name].append(s)
            cells[name].extend(t)
            empties[name].extend(e)
            cpus[name].append(c)

    load_end = os.getloadavg()
    print(f"load average (1, 5, 15 min) at start {load_start}, at end {load_end}\n")

    def ms(values):
        return statistics.median(values) * 1e3

    print(f"| measure (medians) | kernel | this kernel | ipykernel `{p}` | ratio |")
    print("|---|---|---|---|---|")
    for j in javas:
        rows = [
            (f"start to first kernel_info reply ({args.rounds} starts)", startups, "{:.0f} ms"),
            (f"first trivial cell, {args.settle:g} s after that reply ({args.rounds} starts)", firsts, "{:.0f} ms"),
            (f"trivial cell `{TRIVIAL}` round trip, reply + idle ({len(cells[j])} cells)", cells, "{:.2f} ms"),
            (f"empty cell round trip, protocol only ({len(empties[j])} cells)", empties, "{:.2f} ms"),
            (f"kernel process CPU per trivial cell, JIT threads included ({args.rounds} starts)", cpus, "{:.2f} ms"),
        ]
        for label, data, fmt in rows:
            a, b = ms(data[j]), ms(data[p])
            print(f"| {label} | `{j}` | {fmt.format(a)} | {fmt.format(b)} | {a / b:.2f}x |")


if __name__ == "__main__":
    main()
