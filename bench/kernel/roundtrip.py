#!/usr/bin/python3
"""Kernel start-up and trivial-cell round trip: this Java kernel against Debian's ipykernel, driven
by the same jupyter_client code in one run, alternating the kernels so that both see the same
machine state. Prints medians and the ratio as a Markdown table.

    bin/research-kernel install --name java-bench     # once, into JUPYTER_DATA_DIR if set
    /usr/bin/python3 bench/kernel/roundtrip.py --java java-bench --rounds 5 --cells 200
"""
import argparse
import statistics
import time

from jupyter_client.manager import KernelManager

TRIVIAL = "1 + 1"  # valid Java and Python: the same source on both sides


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


def one_round(kernel_name, cells, warmup):
    """Start-up time to the first kernel_info reply, then `cells` trivial round trips (seconds)."""
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
        times = []
        for i in range(warmup + cells):
            s = time.perf_counter()
            msg_id = kc.execute(TRIVIAL)
            reply = wait_reply(kc, msg_id)
            wait_idle(kc, msg_id)
            e = time.perf_counter() - s
            assert reply["content"]["status"] == "ok", reply["content"]
            if i >= warmup:
                times.append(e)
        return startup, times
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--java", default="java", help="kernelspec name of this kernel")
    ap.add_argument("--python", default="python3", help="kernelspec name of ipykernel")
    ap.add_argument("--rounds", type=int, default=5, help="kernel starts per kernel")
    ap.add_argument("--cells", type=int, default=200, help="measured cells per start")
    ap.add_argument("--warmup", type=int, default=20, help="cells run first and not measured")
    args = ap.parse_args()

    startups = {args.java: [], args.python: []}
    cells = {args.java: [], args.python: []}
    for _ in range(args.rounds):
        for name in (args.java, args.python):
            s, t = one_round(name, args.cells, args.warmup)
            startups[name].append(s)
            cells[name].extend(t)

    j, p = args.java, args.python
    sj, sp = statistics.median(startups[j]) * 1e3, statistics.median(startups[p]) * 1e3
    cj, cp = statistics.median(cells[j]) * 1e3, statistics.median(cells[p]) * 1e3
    print(f"| measure | {j} (this kernel) | {p} (ipykernel) | ratio |")
    print("|---|---|---|---|")
    print(f"| start to first kernel_info reply, median of {args.rounds} | {sj:.0f} ms | {sp:.0f} ms | {sj / sp:.2f}x |")
    print(f"| trivial cell `{TRIVIAL}` round trip (reply + idle), median of {len(cells[j])} "
          f"| {cj:.2f} ms | {cp:.2f} ms | {cj / cp:.2f}x |")


if __name__ == "__main__":
    main()
