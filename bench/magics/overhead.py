#!/usr/bin/python3
"""Overhead of monitoring on a notebook cell: the same trivial cell with %monitoring off and on.

Starts the real sidecar (no GPU) on a free loopback port, installs the kernelspec into a private
Jupyter data dir, starts the research kernel through jupyter_client, and times execute_request ->
execute_reply (then drains iopub to idle) for a trivial cell, in alternating off/on blocks so that
drift (JIT warm-up, GC) falls on both sides alike. Prints median and p99 of each and their ratio.

Run from the repository root after `mvn -B -DskipTests package`:
    /usr/bin/python3 bench/magics/overhead.py [--cells 200] [--rounds 5]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from jupyter_client.manager import KernelManager

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KERNEL_JAR = os.path.join(ROOT, "kernel/target/research-kernel.jar")
SIDECAR_JAR = os.path.join(ROOT, "sidecar/target/metrics-sidecar.jar")
CELL = "1 + 1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url, proc, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("sidecar exited with %s" % proc.returncode)
        try:
            with urllib.request.urlopen(url + "/-/healthy", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("sidecar not healthy at " + url)


def run_cell(kc, code):
    """Seconds from sending execute_request to its execute_reply; iopub drained to idle after."""
    start = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    elapsed = time.perf_counter() - start
    if reply["content"]["status"] != "ok":
        raise SystemExit("cell failed: %s" % reply["content"])
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                and msg["content"]["execution_state"] == "idle"):
            return elapsed


def p99(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=200, help="cells per block")
    parser.add_argument("--rounds", type=int, default=5, help="off/on block pairs")
    parser.add_argument("--warmup", type=int, default=200, help="cells run first and not counted")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="magics-bench-")
    port = free_port()
    sidecar_url = "http://127.0.0.1:%d" % port
    env = dict(os.environ, RESEARCH_MONITOR_HOME=os.path.join(work, "home"),
               RESEARCH_MONITOR_SIDECAR_URL=sidecar_url,
               JUPYTER_DATA_DIR=os.path.join(work, "jupyter"), JPY_SESSION_NAME="overhead-bench.ipynb")
    subprocess.run(["java", "-jar", KERNEL_JAR, "install", "--user"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    sidecar = subprocess.Popen(["java", "-jar", SIDECAR_JAR, "--port", str(port), "--bind", "127.0.0.1",
                                "--nvml-library", os.path.join(work, "no-nvml.so")],
                               env=env, stdout=open(os.path.join(work, "sidecar.log"), "w"),
                               stderr=subprocess.STDOUT)
    km = None
    try:
        wait_healthy(sidecar_url, sidecar)
        os.environ.update(env)  # the kernel inherits this process's environment
        km = KernelManager(kernel_name="java")
        km.start_kernel(env=env)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)

        for _ in range(args.warmup):
            run_cell(kc, CELL)
        times = {"off": [], "on": []}
        for _ in range(args.rounds):
            for mode in ("off", "on"):
                run_cell(kc, "%monitoring " + mode)
                for _ in range(args.cells):
                    times[mode].append(run_cell(kc, CELL))
        run_cell(kc, "%monitoring off")

        med = {m: statistics.median(v) * 1000 for m, v in times.items()}
        tail = {m: p99(v) * 1000 for m, v in times.items()}
        print("trivial cell `%s`, %d cells per mode in %d alternating blocks" % (CELL, len(times["off"]), args.rounds))
        print("| monitoring | median ms | p99 ms |")
        print("|---|---|---|")
        for m in ("off", "on"):
            print("| %s | %.3f | %.3f |" % (m, med[m], tail[m]))
        print("median ratio on/off: %.3f, added at the median: %.3f ms; p99 ratio: %.3f"
              % (med["on"] / med["off"], med["on"] - med["off"], tail["on"] / tail["off"]))
        kc.stop_channels()
    finally:
        if km is not None and km.has_kernel:
            km.shutdown_kernel(now=True)
        sidecar.terminate()
        try:
            sidecar.wait(10)
        except subprocess.TimeoutExpired:
            sidecar.kill()


if __name__ == "__main__":
    sys.exit(main())
