#!/usr/bin/python3
"""What the JIT compiles while a fresh kernel JVM runs its first trivial cells: HotSpot's
-XX:+PrintCompilation over bench/kernel/CellCost.java, counted by tier, for javac and JShell's code
(the kernelspec's C1-only packages) apart from the rest. Run from the repository root with the
JVM options of an installed kernelspec:

    /usr/bin/python3 bench/kernel/compile_levels.py --kernelspec "$JUPYTER_DATA_DIR/kernels/java" --cells 220

Tiers: 1 C1 without profiling, 2 C1 with counters, 3 C1 with full profiling, 4 C2.
"""
import argparse
import collections
import json
import os
import re
import subprocess

JAR = "kernel/target/research-kernel.jar"
# the packages KernelspecInstaller.COMPILER_CODE keeps away from C2
COMPILER_CODE = ("com.sun.tools.javac.", "com.sun.source.", "jdk.jshell.", "jdk.internal.jimage.",
                 "jdk.internal.jrtfs.", "jdk.nio.zipfs.")
LINE = re.compile(r"\s*\d+\s+\d+\s+([%sbn!]*)\s*(\d)\s+(\S+)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernelspec", required=True, help="an installed kernelspec folder (kernel.json inside)")
    ap.add_argument("--cells", type=int, default=220)
    args = ap.parse_args()
    argv = json.load(open(os.path.join(args.kernelspec, "kernel.json")))["argv"]
    java = argv[0]
    # the JVM options, less -jar and what follows; HotSpot's own output on, to read PrintCompilation
    options = [o for o in argv[1:argv.index("-jar")] if o != "-XX:-DisplayVMOutput"]
    # HotSpot's output to stderr, so that it does not interleave with CellCost's report on stdout
    run = subprocess.run([java, *options, "-XX:+DisplayVMOutputToStderr", "-XX:+PrintCompilation", "-cp", JAR,
                          "bench/kernel/CellCost.java", str(args.cells)], capture_output=True, text=True, check=True)
    print(run.stdout)
    out = run.stderr
    compiles = collections.Counter()
    tiers_of = collections.defaultdict(set)
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        tier, method = int(m.group(2)), m.group(3)
        compiler_code = method.startswith(COMPILER_CODE)
        compiles[(compiler_code, tier)] += 1
        if compiler_code:
            tiers_of[method].add(tier)
    print(f"compiles in the first {args.cells} cells (and the evaluator's start), by tier:")
    print("| code | tier 1 | tier 2 | tier 3 | tier 4 (C2) |\n|---|---|---|---|---|")
    for compiler_code, label in ((True, "javac, JShell, class-file readers"), (False, "the rest (JDK, kernel, cells)")):
        print(f"| {label} | " + " | ".join(str(compiles[(compiler_code, t)]) for t in (1, 2, 3, 4)) + " |")
    both = sum(1 for t in tiers_of.values() if {1, 3} <= t)
    print(f"\njavac/JShell methods compiled: {len(tiers_of)}; compiled at tier 3 and again at tier 1: {both}")


if __name__ == "__main__":
    main()
