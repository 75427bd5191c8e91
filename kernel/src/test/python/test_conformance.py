"""Jupyter's own kernel conformance suite, filled in for Java.

Run with Debian's Python against the kernelspec named by RESEARCH_KERNEL_NAME (default "java"):
    JUPYTER_DATA_DIR=... /usr/bin/python3 -m unittest -v test_conformance
"""
import os
import unittest

import jupyter_kernel_test


class JavaKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("RESEARCH_KERNEL_NAME", "java")
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'

    completion_samples = [
        {"text": "StringBui", "matches": {"StringBuilder"}},
        {"text": "Math.absE", "matches": {"absExact("}},
    ]

    complete_code_samples = ["1 + 1", "int x = 1;", "void f() { }", "import java.util.List;", "%lsmagic"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "System.out.println(\"hi\"", "void f() {"]
    invalid_code_samples = ["int x = ;", "}", "1 +* 2", "int 1x = 2;"]

    code_page_something = "String?"

    code_generate_error = 'throw new IllegalStateException("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"ab" + "c"', "result": "abc"},  # a String shows as its text, as in IJava
        {"code": "html(\"<b>bold</b>\")", "mime": "text/html", "result": "<b>bold</b>"},
    ]

    code_display_data = [
        {"code": 'display(html("<i>shown</i>"));', "mime": "text/html"},
        {"code": "display(svg(\"<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>\"));",
         "mime": "image/svg+xml"},
        {"code": "display(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB));",
         "mime": "image/png"},
    ]

    code_history_pattern = "6 * *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "String"

    code_clear_output = "clearOutput();"


if __name__ == "__main__":
    unittest.main()
