"""The notebook a kernel reports under, when Jupyter Server 2 (the one JupyterLab 4 runs on) starts
it for a session, as opening a notebook in the browser does: the server writes its runtime file
(jpserver-PID.json) and gives the kernel JPY_SESSION_NAME; the kernel must report under the
notebook's path as the server shows it, relative to the server's root, and follow a rename made
the way JupyterLab makes it (the file through the contents API, then the session).

Run inside the research container (its entrypoint started the server and the sidecar), with the
container's JUPYTER_PORT, JUPYTER_TOKEN and SIDECAR_PORT:
    PYTHONPATH=. python3 .../run_suite.py test_server_identity results.json
"""
import glob
import json
import os
import time
import unittest
import urllib.parse
import urllib.request

from jupyter_client import BlockingKernelClient
from jupyter_core.paths import jupyter_runtime_dir

SERVER = f"http://127.0.0.1:{os.environ['JUPYTER_PORT']}"
SIDECAR = f"http://127.0.0.1:{os.environ['SIDECAR_PORT']}"
TOKEN = os.environ["JUPYTER_TOKEN"]
KERNEL = os.environ.get("RESEARCH_KERNEL_NAME", "java")
FOLDER = "my runs"  # a space in the path, as researchers name folders
WAIT = 60


def api(method, path, body=None):
    request = urllib.request.Request(
        SERVER + "/api/" + urllib.parse.quote(path), method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if text else None


def sidecar_lines(metric):
    with urllib.request.urlopen(SIDECAR + "/metrics", timeout=10) as response:
        return [line for line in response.read().decode().splitlines() if line.startswith(metric + "{")]


def await_sidecar_line(metric, kernel_id, notebook, value):
    """The sidecar's line for this kernel's series, once it carries this notebook and value."""
    expected = (f'kernel_id="{kernel_id}"', f'notebook="{notebook}"')
    lines = []
    deadline = time.time() + WAIT
    while time.time() < deadline:
        lines = sidecar_lines(metric)
        if any(all(e in line for e in expected) and line.endswith(" " + value) for line in lines):
            return lines
        time.sleep(0.5)
    raise AssertionError(f"no {metric} {expected} = {value} in the sidecar within {WAIT} s: {lines}")


def kernel_pid(kernel_id):
    """The process started with this kernel's connection file."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if f"kernel-{kernel_id}.json".encode() in f.read():
                        return int(entry)
            except OSError:
                continue  # gone meanwhile
    raise AssertionError(f"no process runs kernel {kernel_id}")


def environment_of(pid):
    with open(f"/proc/{pid}/environ", "rb") as f:
        return dict(item.decode().split("=", 1) for item in f.read().split(b"\0") if b"=" in item)


class ServerSessionIdentityTest(unittest.TestCase):
    def setUp(self):
        os.makedirs(os.path.join(self.server_root(), FOLDER), exist_ok=True)
        self.path = f"{FOLDER}/first try.ipynb"
        api("PUT", f"contents/{self.path}", {"type": "notebook", "content": {
            "cells": [], "metadata": {"kernelspec": {"name": KERNEL, "display_name": "Java", "language": "java"}},
            "nbformat": 4, "nbformat_minor": 5}})
        # as JupyterLab 4 asks: the server makes JPY_SESSION_NAME of the folder and the name
        self.session = api("POST", "sessions", {"path": self.path, "name": os.path.basename(self.path),
                                                "type": "notebook", "kernel": {"name": KERNEL}})
        self.kernel_id = self.session["kernel"]["id"]
        self.client = BlockingKernelClient(
            connection_file=os.path.join(jupyter_runtime_dir(), f"kernel-{self.kernel_id}.json"))
        self.client.load_connection_file()
        self.client.start_channels()
        # not wait_for_ready: a client without a kernel manager takes a heartbeat that has not
        # beaten yet for a dead kernel
        self.client.kernel_info(reply=True, timeout=WAIT)

    def tearDown(self):
        self.client.stop_channels()
        api("DELETE", f"sessions/{self.session['id']}")

    @staticmethod
    def server_root():
        return server_runtime_file()["root_dir"]

    def execute(self, code):
        reply = self.client.execute_interactive(code, timeout=WAIT, output_hook=lambda msg: None)
        self.assertEqual("ok", reply["content"]["status"], f"{code!r}: {reply['content']}")

    def test_serverSession_namesTheNotebookRelativeToItsRoot_andARenameIsFollowed(self):
        # what Jupyter Server 2 gives the kernel: its runtime file (found through the connection
        # file's folder) and JPY_SESSION_NAME, the notebook's absolute path
        env = environment_of(kernel_pid(self.kernel_id))
        self.assertEqual(os.path.join(self.server_root(), self.path), env.get("JPY_SESSION_NAME"))

        self.execute("%monitoring on")
        self.execute('import io.prometheus.metrics.core.metrics.Counter;\n'
                     'Counter probes = Counter.builder().name("label_probes").help("cells that probe the label").register();\n'
                     'probes.inc(2);')
        # relative to the server's root: the label came from the server's session, not from
        # JPY_SESSION_NAME (absolute)
        await_sidecar_line("label_probes_total", self.kernel_id, self.path, "2.0")

        renamed = f"{FOLDER}/renamed run.ipynb"
        api("PATCH", f"contents/{self.path}", {"path": renamed})
        api("PATCH", f"sessions/{self.session['id']}", {"path": renamed})
        self.execute("probes.inc();")
        lines = await_sidecar_line("label_probes_total", self.kernel_id, renamed, "3.0")
        self.assertFalse([line for line in lines if "first try.ipynb" in line],
                         "the kernel reports under its new name only")


def server_runtime_file():
    """Jupyter Server 2's runtime file for the server on JUPYTER_PORT (Notebook 6 wrote nbserver-*.json)."""
    files = glob.glob(os.path.join(jupyter_runtime_dir(), "jpserver-*.json"))
    for name in files:
        with open(name) as f:
            info = json.load(f)
        if str(info.get("port")) == os.environ["JUPYTER_PORT"]:
            return info
    raise AssertionError(f"no jpserver-*.json for port {os.environ['JUPYTER_PORT']} among {files}")


if __name__ == "__main__":
    unittest.main()
