#!/usr/bin/python3
"""What the JIT choice costs a compute-heavy cell: a 300x300 matrix product plus 2 million HashMap
merges, timed inside the cell, for each kernelspec given (medians of the repeats after the first).

    /usr/bin/python3 bench/kernel/hotloop.py --kernels java-bench,java-bench-full --repeats 7
"""
import argparse
import statistics

from jupyter_client.manager import start_new_kernel

SETUP = """
double[][] mx = new double[300][300], my = new double[300][300], mz = new double[300][300];
for (int i = 0; i < 300; i++) for (int j = 0; j < 300; j++) { mx[i][j] = i + j; my[i][j] = i - j; }
long hot() {
    long t = System.nanoTime();
    for (int i = 0; i < 300; i++) for (int k = 0; k < 300; k++) { double v = mx[i][k]; for (int j = 0; j < 300; j++) mz[i][j] += v * my[k][j]; }
    Map<Integer, Integer> m = new HashMap<>();
    for (int i = 0; i < 2_000_000; i++) m.merge(i % 1000, 1, Integer::sum);
    return (System.nanoTime() - t) / 1_000_000;
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
    print("| kernelspec | hot cell, median ms |")
    print("|---|---|")
    for k in args.kernels.split(","):
        print(f"| `{k}` | {run(k, args.repeats):.0f} |")


if __name__ == "__main__":
    main()
