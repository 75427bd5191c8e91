"""The kernel's usage_reply, checked against what JupyterLab's Kernel Usage panel (the
jupyter-resource-usage extension) reads, and against ipykernel's own reply on the same host.
The extension's server handler asks the kernel on the control channel, through a client of the
server's kernel manager, and waits 10 s; its panel shows hostname, pid, kernel_cpu, kernel_memory,
host_cpu_percent (with cpu_count) and host_virtual_memory's active, available, free, inactive,
percent, total and used. Run with Debian's Python against the kernelspec RESEARCH_KERNEL_NAME:
    JUPYTER_DATA_DIR=... /usr/bin/python3 -m unittest -v test_resource_usage
"""
import os
import socket
import time
import unittest

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("RESEARCH_KERNEL_NAME", "java")
TIMEOUT = 30
EXTENSION_TIMEOUT = 10  # seconds the extension's handler waits for the reply

# what the panel reads (the extension's Usage type), named here rather than imported: the extension
# is not packaged in Debian
PANEL_FIELDS = ("hostname", "pid", "kernel_cpu", "kernel_memory", "host_cpu_percent", "cpu_count",
                "host_virtual_memory")
PANEL_MEMORY_FIELDS = ("active", "available", "free", "inactive", "percent", "total", "used")


def usage_as_the_extension_asks(km):
    """A fresh client of the kernel's manager, a usage_request on its control channel, one reply."""
    client = km.client()
    try:
        request = km.session.msg("usage_request", {})
        client.control_channel.send(request)
        deadline = time.time() + EXTENSION_TIMEOUT
        while time.time() < deadline:
            reply = client.get_control_msg(timeout=max(0.1, deadline - time.time()))
            if reply["parent_header"].get("msg_id") == request["header"]["msg_id"]:
                return reply
        raise AssertionError(f"no usage_reply within the extension's {EXTENSION_TIMEOUT} s")
    finally:
        client.stop_channels()


def meminfo():
    with open("/proc/meminfo") as f:
        return {line.split(":")[0]: int(line.split()[1]) * 1024 for line in f if line.rstrip().endswith("kB")}


def process_cpu_seconds(pid):
    """utime + stime of the whole process, from /proc (what psutil's cpu_percent is made of)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for {pid}")


class ResourceUsageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    def test_reply_carriesEverythingThePanelShows_asNumbersWhereItShowsNumbers(self):
        reply = usage_as_the_extension_asks(self.km)
        self.assertEqual(reply["msg_type"], "usage_reply")
        c = reply["content"]
        for field in PANEL_FIELDS:
            self.assertIn(field, c)
        self.assertTrue(c["hostname"], "an empty hostname makes the panel say usage is not available")
        for field in ("pid", "kernel_memory", "cpu_count"):
            self.assertIsInstance(c[field], int, field)
        for field in ("kernel_cpu", "host_cpu_percent"):
            self.assertIsInstance(c[field], (int, float), field)
        for field in PANEL_MEMORY_FIELDS:
            self.assertIsInstance(c["host_virtual_memory"].get(field), (int, float), field)

    def test_reply_hasEveryFieldOfIpykernelsReply_ofTheSameJsonType(self):
        ipy_km, ipy_kc = start_new_kernel(kernel_name="python3", startup_timeout=60)
        try:
            usage_as_the_extension_asks(ipy_km)  # psutil leaves host_cpu_percent out of a first reply
            time.sleep(0.2)
            ipy = usage_as_the_extension_asks(ipy_km)["content"]
        finally:
            ipy_kc.stop_channels()
            ipy_km.shutdown_kernel(now=True)
        ours = usage_as_the_extension_asks(self.km)["content"]

        def same_shape(theirs, mine, where):
            for key, value in theirs.items():
                self.assertIn(key, mine, f"{where}{key} is in ipykernel's reply, not in ours")
                if isinstance(value, dict):
                    same_shape(value, mine[key], f"{where}{key}.")
                else:
                    self.assertIs(type(mine[key]), type(value), f"{where}{key}: {mine[key]!r} against {value!r}")

        same_shape(ipy, ours, "")

    def test_values_describeThisKernelProcessAndThisHost(self):
        c = usage_as_the_extension_asks(self.km)["content"]
        pid = self.km.provisioner.process.pid
        self.assertEqual(c["pid"], pid)
        self.assertEqual(c["hostname"], socket.gethostname())
        self.assertEqual(c["cpu_count"], os.cpu_count())
        rss = resident_bytes(pid)
        self.assertTrue(0.5 * rss < c["kernel_memory"] < 2 * rss, f"kernel_memory {c['kernel_memory']}, VmRSS {rss}")
        memory, host = c["host_virtual_memory"], meminfo()
        self.assertEqual(memory["total"], host["MemTotal"])
        self.assertLess(memory["available"], memory["total"])
        self.assertLessEqual(memory["used"] + memory["free"], memory["total"])
        self.assertTrue(0 < memory["percent"] < 100, memory)
        self.assertAlmostEqual(memory["percent"], 100 * (memory["total"] - memory["available"]) / memory["total"],
                               delta=0.1)
        self.assertTrue(0 <= c["host_cpu_percent"] <= 100, c["host_cpu_percent"])

    def test_kernelCpu_isThePercentOfOneCpuTheKernelUsedSinceTheLastRequest(self):
        # measured while a cell spins, against the kernel's CPU time in /proc over the same span
        # (how much CPU the spinning cell gets depends on the machine's load; the two must agree)
        pid = self.km.provisioner.process.pid
        msg_id = self.kc.execute("while (true) {}")
        time.sleep(1.0)
        usage_as_the_extension_asks(self.km)
        cpu_before, wall_before = process_cpu_seconds(pid), time.monotonic()
        time.sleep(3.0)
        cpu_after, wall_after = process_cpu_seconds(pid), time.monotonic()
        reported = usage_as_the_extension_asks(self.km)["content"]["kernel_cpu"]
        self.km.interrupt_kernel()
        while True:
            msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
        measured = 100 * (cpu_after - cpu_before) / (wall_after - wall_before)
        self.assertGreater(measured, 5.0, "the spinning cell got no CPU at all")
        self.assertAlmostEqual(reported, measured, delta=20.0,
                               msg=f"kernel_cpu {reported}, /proc says {measured:.1f} % of one CPU")
