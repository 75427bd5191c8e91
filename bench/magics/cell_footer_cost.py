#!/usr/bin/python3
"""What cost footers and cell accounting add to a trivial cell's round trip: one kernel, blocks of
trivial cells with `%monitoring cells off` and `on` alternating, so both see the same machine and
the same warmed JIT. Prints the medians and the difference (issue 28 allows 0.2 ms).

Two clients read the replies, in alternating blocks of the same run:
- jupyter_client's blocking client, as nbconvert and the tests use it. It checks the signature and
  parses every part and date of every message, ~0.1 ms a message on this machine: a footer, one
  more message, costs that much of the client's own time, which the table shows apart.
- a lean client on the same sockets that reads only what tells the reply and the idle status
  apart, so that the difference is what the kernel adds.

    JUPYTER_DATA_DIR=/tmp/jd bin/research-kernel install --name java-cost
    JUPYTER_DATA_DIR=/tmp/jd /usr/bin/python3 bench/magics/cell_footer_cost.py --kernel java-cost
    JUPYTER_DATA_DIR=/tmp/jd /usr/bin/python3 bench/magics/cell_footer_cost.py --kernel java-cost --crossover 375
    JUPYTER_DATA_DIR=/tmp/jd /usr/bin/python3 bench/magics/cell_footer_cost.py --kernel java-cost --crossover 375 --accounting
    JUPYTER_DATA_DIR=/tmp/jd /usr/bin/python3 bench/magics/cell_footer_cost.py --kernel java-cost --threads 60

--accounting, with --crossover: "on" is `%monitoring on` as well as footers, so that each cell is also
observed in the notebook's histograms and reported to a sidecar (of this checkout, started by the
bench on a free port with its own state folder): issue 28's "footer and accounting".

--threads N: one kernel, footers toggled every 20 trivial cells, N blocks of each state; each of
the kernel's threads' CPU per cell, by name, in either state. It names which thread pays.

--crossover N: two kernels of the same kernelspec, one with footers on and one off, the lean client
alternating blocks between them, in four phases of N blocks whose roles swap (on/off, off/on,
off/on, on/off; --phases 8 or 16 continues the same Thue-Morse order, so that a drift that bends
cancels too). A trivial cell's speed drifts within one process by up to a millisecond over a
minute (javac's JIT state, JShell's growing session), more than the footer costs; here each
process spends as long in each state, in an order that cancels a steady drift, and the two
processes' own differences cancel too. The per-process differences are printed to show the drift.
"""
import argparse
import collections
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import zmq
from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

# the kernel benches' reading of a process's CPU from /proc
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel"))
from roundtrip import cpu_seconds_fine, thread_cpu_ns  # noqa: E402


class FullClient:
    """jupyter_client's blocking client: every message verified and parsed."""

    def __init__(self, km):
        self.kc = km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)

    def run(self, code):
        s = time.perf_counter()
        msg_id = self.kc.execute(code)
        while self.kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id") != msg_id:
            pass
        while True:  # the footer is output: a round trip ends when the kernel is idle again
            m = self.kc.get_iopub_msg(timeout=60)
            if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                    and m["content"]["execution_state"] == "idle"):
                return time.perf_counter() - s

    def close(self):
        self.kc.stop_channels()


class LeanClient:
    """The same requests, signed by jupyter_client's Session; replies read only as far as needed:
    the parent header's msg_id, and the status message's content."""

    def __init__(self, km):
        info = km.get_connection_info()
        self.session = Session(key=info["key"], signature_scheme=info["signature_scheme"])
        self.ctx = zmq.Context()
        url = f"{info['transport']}://{info['ip']}:"
        self.shell = self.ctx.socket(zmq.DEALER)
        self.shell.setsockopt(zmq.IDENTITY, uuid.uuid4().hex.encode())
        self.shell.connect(url + str(info["shell_port"]))
        self.iopub = self.ctx.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(url + str(info["iopub_port"]))
        time.sleep(0.5)  # the subscription reaches the kernel's PUB socket
        for _ in range(20):  # and its first messages are read
            self.run("1 + 1")

    @staticmethod
    def parts(frames):
        i = frames.index(b"<IDS|MSG>")
        return frames[i + 2:i + 6]  # header, parent, metadata, content

    def run(self, code):
        s = time.perf_counter()
        msg = self.session.send(self.shell, "execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        msg_id = msg["header"]["msg_id"].encode()
        while True:
            header, parent, _, _ = self.parts(self.shell.recv_multipart())
            if msg_id in parent:
                break
        while True:
            header, parent, _, content = self.parts(self.iopub.recv_multipart())
            if msg_id in parent and b'"status"' in header and json.loads(content)["execution_state"] == "idle":
                return time.perf_counter() - s

    def close(self):
        self.ctx.destroy(linger=0)


def warm_up(client, cells_per_state):
    """Both footer states warmed up: the JIT compiles the footer's code during its first few hundred
    cells, a one-off cost that alternating blocks would otherwise charge to the footer."""
    for state in ("on", "off"):
        client.run("%monitoring cells " + state)
        for _ in range(cells_per_state):
            client.run("1 + 1")


class Sidecar:
    """A metrics sidecar of this checkout on a free loopback port, its state (the report token) in
    a folder of its own, for --accounting: the kernels report to it, not to the user's."""

    def __init__(self):
        self.home = tempfile.mkdtemp(prefix="footer-bench-")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        self.log = open(os.path.join(self.home, "sidecar.log"), "w")
        self.process = subprocess.Popen(
            [os.path.join(root, "bin", "metrics-sidecar"), f"--port={port}"],
            env=dict(os.environ, RESEARCH_MONITOR_HOME=self.home), stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url + "/metrics", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the sidecar did not answer; see " + self.log.name)

    def kernel_env(self):
        return dict(os.environ, RESEARCH_MONITOR_HOME=self.home, RESEARCH_MONITOR_SIDECAR_URL=self.url)

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)


def switch(client, state, accounting):
    """Footers (and, with accounting, reports to the sidecar with the per-notebook histograms) on or off."""
    if accounting:
        client.run("%monitoring " + state)
    client.run("%monitoring cells " + state)


def phase_order(phases):
    """Kernel A's state in each phase, the Thue-Morse sequence (on off off on, off on on off, ...):
    over 4 phases it cancels a drift that is steady, over 8 one that bends (any quadratic), so that
    what remains of a kernel's slow drift is not charged to either state."""
    return ["on" if bin(i).count("1") % 2 == 0 else "off" for i in range(phases)]


def crossover(kernel, per_phase, accounting=False, phases=4):
    """Footers on in one kernel and off in another, roles swapped between phases; lean client.
    With `accounting`, "on" is monitoring on as well: each cell is also observed in the notebook's
    histograms, and the reporter sends them to a sidecar every second or so."""
    sidecar = Sidecar() if accounting else None
    kms = [KernelManager(kernel_name=kernel) for _ in range(2)]
    for km in kms:
        km.start_kernel(**({"env": sidecar.kernel_env()} if sidecar else {}))
    clients = []
    try:
        clients = [LeanClient(km) for km in kms]
        for client in clients:
            warm_up(client, 500)
            if accounting:  # the reporter's code warmed up as well
                switch(client, "on", True)
                for _ in range(500):
                    client.run("1 + 1")
                switch(client, "off", True)
        cells = {"empty": "", "trivial `1 + 1`": "1 + 1"}
        times = {(k, s, cell): [] for k in (0, 1) for s in ("on", "off") for cell in cells}
        for first in phase_order(phases):
            states = [first, "off" if first == "on" else "on"]
            for k in (0, 1):
                switch(clients[k], states[k], accounting)
            for block in range(per_phase):
                for k in (0, 1) if block % 2 == 0 else (1, 0):
                    for cell, code in cells.items():
                        for _ in range(2):
                            times[(k, states[k], cell)].append(clients[k].run(code))

        def ms(values):
            return statistics.median(values) * 1e3

        what = "footers and accounting" if accounting else "footers"
        print(f"| {per_phase * phases * 2} cells of each kind and state, two kernels crossed over in {phases} phases, "
              f"{what}, lean client, medians "
              "| footers off | footers on | added | added in kernel A / B |")
        print("|---|---|---|---|---|")
        for cell in cells:
            off = ms(times[(0, "off", cell)] + times[(1, "off", cell)])
            on = ms(times[(0, "on", cell)] + times[(1, "on", cell)])
            each = [ms(times[(k, "on", cell)]) - ms(times[(k, "off", cell)]) for k in (0, 1)]
            print(f"| {cell} cell, round trip | {off:.3f} ms | {on:.3f} ms | {on - off:+.3f} ms "
                  f"| {each[0]:+.3f} / {each[1]:+.3f} ms |")
    finally:
        for client in clients:
            client.close()
        for km in kms:
            km.shutdown_kernel(now=True)
        if sidecar:
            sidecar.close()


def threads(kernel, blocks, per_block=20):
    """Which of the kernel's threads pays for footers: one kernel, footers toggled every
    `per_block` trivial cells (so that a drift over seconds falls on both states alike), each
    thread's CPU per cell in either state. CPU, unlike the round trip, is not lengthened by waiting
    for a core, so it names the cost's owner even where the machine is too noisy for the round trip
    to show it."""
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    client = None
    try:
        client = LeanClient(km)
        warm_up(client, 500)
        pid = km.provisioner.process.pid
        cpu = {"on": collections.Counter(), "off": collections.Counter()}
        cells = {"on": 0, "off": 0}
        for block in range(blocks):
            for state in ("on", "off") if block % 2 == 0 else ("off", "on"):
                client.run("%monitoring cells " + state)
                client.run("1 + 1")  # the first cell after the switch, not counted
                before = thread_cpu_ns(pid)
                for _ in range(per_block):
                    client.run("1 + 1")
                after = thread_cpu_ns(pid)
                for name, ns in after.items():
                    cpu[state][name] += ns - before.get(name, 0)
                cells[state] += per_block

        def us(state, name=None):
            total = cpu[state][name] if name else sum(cpu[state].values())
            return total / cells[state] / 1e3

        print(f"| trivial cells, {cells['on']} of each state, CPU per cell | footers off | footers on | added |")
        print("|---|---|---|---|")
        print(f"| kernel process | {us('off'):.1f} us | {us('on'):.1f} us | {us('on') - us('off'):+.1f} us |")
        for name in sorted(cpu["on"], key=lambda n: -(cpu["on"][n] + cpu["off"][n]))[:8]:
            print(f"| thread `{name}` | {us('off', name):.1f} us | {us('on', name):.1f} us "
                  f"| {us('on', name) - us('off', name):+.1f} us |")
    finally:
        if client:
            client.close()
        km.shutdown_kernel(now=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default="java")
    ap.add_argument("--blocks", type=int, default=30)
    ap.add_argument("--cells", type=int, default=40, help="trivial cells per block")
    ap.add_argument("--warmup", type=int, default=1000, help="cells first, half with footers: javac and the footer compiled")
    ap.add_argument("--crossover", type=int, metavar="N", help="two kernels crossed over, N blocks a phase")
    ap.add_argument("--phases", type=int, default=4, choices=(4, 8, 16),
                    help="with --crossover: phases whose roles swap (8 cancels a drift that bends)")
    ap.add_argument("--accounting", action="store_true",
                    help="with --crossover: 'on' is %%monitoring on too, reporting to a sidecar the bench starts")
    ap.add_argument("--threads", type=int, metavar="N", help="each thread's CPU per cell, N blocks of each state")
    a = ap.parse_args()
    if a.threads:
        threads(a.kernel, a.threads)
        return
    if a.crossover:
        crossover(a.kernel, a.crossover, a.accounting, a.phases)
        return
    km = KernelManager(kernel_name=a.kernel)
    km.start_kernel()
    clients = {"jupyter_client": FullClient(km)}
    try:
        clients["lean"] = LeanClient(km)
        warm_up(clients["jupyter_client"], a.warmup // 2)
        # the empty cell first: measured after the trivial ones, its CPU took in the JIT's work
        # that javac's cells had left behind
        cells = {"empty": "", "trivial `1 + 1`": "1 + 1"}
        times = {(cell, c, s): [] for cell in cells for c in clients for s in ("off", "on")}
        cpu = {(cell, s): [] for cell in cells for s in ("off", "on")}
        pid = km.provisioner.process.pid
        for block in range(a.blocks):
            # ABBA order, so that a trend (the JIT still at work, the machine's load) falls on both
            names = list(clients) if block % 2 == 0 else list(clients)[::-1]
            for name in names:
                client = clients[name]
                for state in ("off", "on") if block % 4 < 2 else ("on", "off"):
                    client.run("%monitoring cells " + state)
                    for cell, code in cells.items():
                        before = cpu_seconds_fine(pid)
                        for _ in range(a.cells):
                            times[(cell, name, state)].append(client.run(code))
                        cpu[(cell, state)].append((cpu_seconds_fine(pid) - before) / a.cells)

        def ms(values):
            return statistics.median(values) * 1e3

        print(f"| {a.blocks * a.cells} cells of each kind and state, medians | footers off | footers on | added |")
        print("|---|---|---|---|")
        for cell in cells:
            for name in clients:
                off, on = ms(times[(cell, name, "off")]), ms(times[(cell, name, "on")])
                print(f"| {cell} cell, round trip, {name} client | {off:.3f} ms | {on:.3f} ms | {on - off:+.3f} ms |")
            off, on = ms(cpu[(cell, "off")]), ms(cpu[(cell, "on")])
            print(f"| {cell} cell, kernel process CPU (of blocks) | {off:.3f} ms | {on:.3f} ms | {on - off:+.3f} ms |")
        print(f"| jupyter_client's parse of one footer message | | | {parse_cost() * 1e3:.3f} ms |")
    finally:
        for client in clients.values():
            client.close()
        km.shutdown_kernel(now=True)


def parse_cost():
    """What jupyter_client spends verifying and parsing one footer-sized display_data message."""
    s = Session(key=uuid.uuid4().hex.encode())
    parent = s.msg("execute_request", {"code": "1 + 1"})
    text = "cell 7: wall 1.2 ms | cpu 1.1 ms | allocated 48.0 kB | gc 0 pauses, 0 us | peak heap 21.4 MB"
    took = []
    for _ in range(2000):
        frames = s.serialize(s.msg("display_data", {
            "data": {"text/plain": text, "text/html": "<div>" + text + "</div>"},
            "metadata": {}, "transient": {}}, parent=parent))
        t = time.perf_counter()
        s.deserialize(frames[1:])
        took.append(time.perf_counter() - t)
    return statistics.median(took)


if __name__ == "__main__":
    main()
