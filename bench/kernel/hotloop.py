#!/usr/bin/python3
"""What the JIT choice costs a compute-heavy cell: a 300x300 matrix product plus 2 million HashMap
merges, timed inside the cell as the cell thread's CPU time (so that a loaded machine's waits for
a core do not count), for each kernelspec given (medians of the repeats after the first).

    /usr/bin/python3 bench/kernel/hotloop.py --kernels java-bench,java-bench-full --repeats 7
"""
import argparse
import os
import statistics

from jupyter_client.manager import start_new_kernel

SETUP = """
double[][] mx = new double[300][300], my = new double[300][300], mz = new double[300][300];
for (int i = 0; i < 300; i++) for (int j = 0; j < 300; j++) { mx[i][j] = i + j; my[i][j] = i - j; }
long hot() {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long t = threads.getCurrentThreadCpuTime();
    for (int i = 0; i < 300; i++) for (int k = 0; k < 300; k++) { double v = mx[i][k]; for (int j = 0; j < 300; j++) mz[i][j] += v * my[k][j]; }
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < 2_000_000; i++) m.merge(i % 1000, 1, Integer::sum);
    return (threads.getCurrentThreadCpuTime() - t) / 1_000_000;
}
"""


def run(kernel, repeats):
    km, kc = start_new_kernel(kernel_name=kernel, startup_timeout=60)
    try:
        reply = kc.execute_interactive(SETUP, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
        times = []
        for _ in range(repeats):
            out = []
            kc.execute_interactive("hot()", timeout=120,
                                   output_hook=lambda m: out.append(m) if m["msg_type"] == "execute_result" else None)
            times.append(int(out[0]["content"]["data"]["text/plain"]))
        return statistics.median(times[1:])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernels", default="java", help="kernelspec names, comma-separated")
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    load_start = os.getloadavg()
    rows = [(k, run(k, args.repeats)) for k in args.kernels.split(",")]
    print(f"load average (1, 5, 15 min) at start {load_start}, at end {os.getloadavg()}\n")
    print("| kernelspec | hot cell, median ms of the cell thread's CPU |")
    print("|---|---|")
    for k, ms in rows:
        print(f"| `{k}` | {ms:.0f} |")


if __name__ == "__main__":
    main()
