"""Runs the research kernel as a notebook would, for DashboardQueriesIT: starts it through
jupyter_client, prints "pid <kernel pid>", waits for "go" on stdin (the test starts the sidecar in
between, telling the stub NVML that this pid holds GPU memory), turns `%monitoring on`, then runs
cells until stdin closes or SIGTERM arrives: most finish, one in five throws, durations vary,
one records a training step.

    JUPYTER_DATA_DIR=... JPY_SESSION_NAME=train.ipynb RESEARCH_MONITOR_SIDECAR_URL=... \
        /usr/bin/python3 monitored_kernel.py KERNEL_NAME
"""
import signal
import sys
import threading

from jupyter_client.manager import KernelManager

TIMEOUT = 60
CELLS = [
    "int x = 1 + 1;",
    "Thread.sleep(30); x * 2",
    "Thread.sleep(150);",
    'throw new IllegalStateException("a failing cell, on purpose");',
    # a training step through the ml module's API, for the dashboard's Training row
    "var tm = dev.researchmon.ml.training.TrainingMetrics.get();"
    " try (var b = tm.startBatch(dev.researchmon.ml.training.Phase.TRAIN, 32)) { Thread.sleep(20); b.loss(0.5); }"
    ' tm.evaluation(dev.researchmon.ml.training.Phase.VALIDATION, "accuracy", 0.9);'
    " tm.learningRate(0.01); tm.epochCompleted();",
]


def run(code, client):
    reply = client.execute_interactive(code, timeout=TIMEOUT, output_hook=lambda msg: None)
    return reply["content"]["status"]


def main():
    if len(sys.argv) != 2:
        print("usage: monitored_kernel.py KERNEL_NAME", file=sys.stderr)
        return 2
    stop = threading.Event()
    # SIGTERM (the test's Process.destroy) ends the loop so the kernel is shut down cleanly.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    manager = KernelManager(kernel_name=sys.argv[1])
    manager.start_kernel()
    try:
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=TIMEOUT)
        print("pid", manager.provisioner.pid, flush=True)
        if sys.stdin.readline().strip() != "go":
            return 1
        status = run("%monitoring on", client)
        print("monitoring on:", status, flush=True)
        if status != "ok":
            return 1
        # stdin closing means the test has gone: stop then too.
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
        n = 0
        while not stop.is_set():
            run(CELLS[n % len(CELLS)], client)
            n += 1
        print("cells run:", n, flush=True)
        return 0
    finally:
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main())
