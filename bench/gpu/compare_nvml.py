#!/usr/bin/env python3
"""Compares two sidecar scrapes with nvidia-smi's values for the same GPUs; standard library only.

Usage: compare_nvml.py SCRAPE1 SCRAPE2 SMI_CSV > report.txt   (exit 1 on a mismatch)

SMI_CSV is `nvidia-smi --query-gpu=<FIELDS> --format=csv,noheader,nounits` with FIELDS below,
taken right after SCRAPE2. Every GPU family the sidecar exposed is listed: compared with its
nvidia-smi counterpart where there is one, else checked for sane values (ratios in 0..1,
counters that do not go down between the scrapes).
"""
import re
import sys

SMI_FIELDS = ["index", "uuid", "name", "driver_version", "utilization.gpu", "utilization.memory",
              "memory.total", "memory.used", "memory.free", "temperature.gpu", "temperature.memory",
              "power.draw", "enforced.power.limit", "clocks.sm", "clocks.mem", "fan.speed",
              "mig.mode.current"]

MIB = 1024 * 1024
# family: (nvidia-smi field, factor to base units, absolute tolerance, relative tolerance).
# Values sampled moments apart (utilization, power, clocks, used memory) get wide tolerances.
COUNTERPARTS = {
    "gpu_memory_total_bytes": ("memory.total", MIB, 2 * MIB, 0),
    "gpu_memory_used_bytes": ("memory.used", MIB, 256 * MIB, 0.05),
    "gpu_memory_free_bytes": ("memory.free", MIB, 256 * MIB, 0.05),
    "gpu_temperature_celsius": ("temperature.gpu", 1, 3, 0),
    "gpu_memory_temperature_celsius": ("temperature.memory", 1, 3, 0),
    "gpu_power_watts": ("power.draw", 1, 25, 0.25),
    "gpu_power_limit_watts": ("enforced.power.limit", 1, 1, 0),
    "gpu_sm_clock_hertz": ("clocks.sm", 1e6, 100e6, 0.2),
    "gpu_memory_clock_hertz": ("clocks.mem", 1e6, 20e6, 0.05),
    "gpu_fan_speed_ratio": ("fan.speed", 0.01, 0.1, 0),
    "gpu_utilization_ratio": ("utilization.gpu", 0.01, 0.35, 0),
    "gpu_memory_utilization_ratio": ("utilization.memory", 0.01, 0.35, 0),
}

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(path):
    """{(name, frozenset(labels)): value} and {family: type} from Prometheus text exposition."""
    samples, types = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# TYPE "):
                _, _, family, kind = line.split(None, 3)
                types[family] = kind.strip()
                continue
            if line.startswith("#") or not line.strip():
                continue
            m = SAMPLE.match(line)
            if m:
                labels = frozenset(LABEL.findall(m.group(2) or ""))
                samples[(m.group(1), labels)] = float(m.group(3))
    return samples, types


def number(text):
    try:
        return float(text)
    except ValueError:
        return None  # [N/A], [Not Supported]


def main():
    scrape1, _ = parse(sys.argv[1])
    scrape2, types = parse(sys.argv[2])
    smi = {}
    with open(sys.argv[3], encoding="utf-8") as f:
        for row in f:
            cells = [c.strip() for c in row.split(",")]
            if len(cells) == len(SMI_FIELDS):
                smi[cells[0]] = dict(zip(SMI_FIELDS, cells))
    problems, lines = [], []
    named = set()

    def check(ok, text):
        lines.append(("ok   " if ok else "FAIL ") + text)
        if not ok:
            problems.append(text)

    check(scrape2.get(("gpu_nvml_available", frozenset())) == 1.0, "gpu_nvml_available is 1")
    check(scrape2.get(("sidecar_collector_success", frozenset({("collector", "gpu")}))) == 1.0,
          'sidecar_collector_success{collector="gpu"} is 1')
    gpus = {dict(l).get("gpu") for (n, l) in scrape2 if n == "gpu_memory_total_bytes"}
    check(gpus == set(smi), "the sidecar sees the GPUs nvidia-smi lists: %s vs %s" % (sorted(gpus), sorted(smi)))
    for (n, l), v in scrape2.items():
        if n == "gpu_driver_info":
            versions = {row["driver_version"] for row in smi.values()}
            check(dict(l).get("driver_version") in versions,
                  "driver %s (nvidia-smi: %s)" % (dict(l).get("driver_version"), ", ".join(sorted(versions))))

    families = sorted({n for (n, _) in scrape2 if n.startswith("gpu_")})
    lines.append("")
    lines.append("families exposed (%d): %s" % (len(families), " ".join(families)))
    for family in families:
        points = [(dict(l), v) for (n, l), v in scrape2.items() if n == family]
        for labels, value in sorted(points, key=lambda p: sorted(p[0].items())):
            gpu = labels.get("gpu")
            where = family + "{" + ",".join("%s=%s" % kv for kv in sorted(labels.items())
                                             if kv[0] not in ("uuid", "name")) + "}"
            row = smi.get(gpu) if gpu is not None else None
            if row is not None and "uuid" in labels and gpu not in named:
                named.add(gpu)
                check(labels["uuid"] == row["uuid"] and labels["name"] == row["name"],
                      "%s: uuid/name %s/%s match nvidia-smi" % (where, labels["uuid"], labels["name"]))
            base = family[:-len("_total")] if family.endswith("_total") else family
            if base in COUNTERPARTS and row is not None and "gpu_instance" not in labels:
                field, factor, abs_tol, rel_tol = COUNTERPARTS[base]
                expected = number(row[field])
                if expected is None:
                    check(False, "%s = %g but nvidia-smi has no %s (%s)" % (where, value, field, row[field]))
                    continue
                expected *= factor
                tolerance = max(abs_tol, rel_tol * abs(expected))
                check(abs(value - expected) <= tolerance, "%s = %g, nvidia-smi %s = %g (tolerance %g)"
                      % (where, value, field, expected, tolerance))
            elif family.endswith("_ratio"):
                check(0 <= value <= 1, "%s = %g is in 0..1 (no nvidia-smi counterpart)" % (where, value))
            elif types.get(family) == "counter" or family.endswith("_total"):
                before = scrape1.get((family, frozenset(labels.items())))
                check(before is None or value >= before,
                      "%s = %g, not below the first scrape's %s" % (where, value, before))
            else:
                lines.append("info %s = %g" % (where, value))
    # Families nvidia-smi reports that the sidecar left out.
    for base, (field, _, _, _) in sorted(COUNTERPARTS.items()):
        if base not in families:
            has = [g for g, row in smi.items() if number(row[field]) is not None]
            check(not has, "%s absent; nvidia-smi has %s for GPUs %s" % (base, field, has or "none"))
    durations = [v for (n, l), v in scrape2.items()
                 if n == "sidecar_collector_duration_seconds" and dict(l).get("collector") == "gpu"]
    if durations and gpus:
        lines.append("")
        lines.append("NVML pass: %.2f ms for %d GPUs, %.2f ms per GPU (sidecar_collector_duration_seconds)"
                     % (durations[0] * 1e3, len(gpus), durations[0] * 1e3 / len(gpus)))
    print("\n".join(lines))
    print("\n%d problems" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
