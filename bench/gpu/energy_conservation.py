#!/usr/bin/python3
"""Issue 28's conservation rule on two scrapes of the sidecar: per GPU, what gpu_notebook_energy_joules_total
gave to the notebooks, `other` and `idle` between the scrapes against the GPU's own gpu_energy_joules_total
over the same interval (and the same for gpu_notebook_busy_seconds_total against the interval). The
attribution runs on the refresher's thread, so the two sides are read at slightly different instants:
the shares are compared as sums of the whole interval, within 1%.

    python3 bench/gpu/energy_conservation.py scrape1.txt scrape2.txt     # exit 1 when a GPU is off by more
"""
import re
import sys
from collections import defaultdict

LINE = re.compile(r'^(\w+)\{([^}]*)\}\s+(\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def read(path):
    """(metric, gpu) -> {notebook or '': value}."""
    values = defaultdict(dict)
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if not m or m.group(1) not in ("gpu_energy_joules_total", "gpu_notebook_energy_joules_total",
                                           "gpu_notebook_busy_seconds_total"):
                continue
            labels = dict(LABEL.findall(m.group(2)))
            key = labels.get("notebook", "") + "|" + labels.get("kernel_id", "")
            values[(m.group(1), labels.get("gpu", "?"))][key] = float(m.group(3))
    return values


def main(first, second):
    a, b = read(first), read(second)
    gpus = sorted({gpu for (_, gpu) in b})
    worst = 0.0
    print("| gpu | GPU's energy increase | given to notebooks, other, idle | off by |")
    print("|---|---|---|---|")
    for gpu in gpus:
        own = sum(b[("gpu_energy_joules_total", gpu)].values()) - sum(a[("gpu_energy_joules_total", gpu)].values())
        shares = b[("gpu_notebook_energy_joules_total", gpu)]
        given = sum(v - a[("gpu_notebook_energy_joules_total", gpu)].get(k, 0.0) for k, v in shares.items())
        if own <= 0 or not shares:
            print(f"| {gpu} | {own:.1f} J | {'not attributed' if not shares else f'{given:.1f} J'} | - |")
            continue
        off = abs(given - own) / own
        worst = max(worst, off)
        names = ", ".join(sorted(k.split("|")[0] for k in shares))
        print(f"| {gpu} | {own:.1f} J | {given:.1f} J ({names}) | {off * 100:.2f}% |")
    print(f"\nworst: {worst * 100:.2f}% (the rule: within 1%)")
    return 0 if worst <= 0.01 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
