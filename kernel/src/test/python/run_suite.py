"""Runs one unittest module and writes each test's outcome to a JSON file, so that the Java ITs can
report every behaviour by name however the kernels' own output interleaves with unittest's:
    /usr/bin/python3 run_suite.py test_client_behaviour results.json
Exits 0 when every test passed. The kernel under test is RESEARCH_KERNEL_NAME in JUPYTER_DATA_DIR.
"""
import json
import sys
import unittest


class RecordingResult(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = {}

    def _record(self, test, outcome, detail=""):
        # "InterruptTest.test_interrupt_..." without the module name
        self.outcomes[test.id().split(".", 1)[-1]] = {"outcome": outcome, "detail": detail}

    def addSuccess(self, test):
        super().addSuccess(test)
        self._record(test, "ok")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._record(test, "fail", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self._record(test, "error", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._record(test, "skipped", reason)


def main(module, out):
    suite = unittest.defaultTestLoader.loadTestsFromName(module)
    result = unittest.TextTestRunner(verbosity=2, resultclass=RecordingResult).run(suite)
    with open(out, "w") as f:
        json.dump(result.outcomes, f, indent=1)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
