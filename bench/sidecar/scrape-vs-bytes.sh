#!/usr/bin/env bash
# Scrape time against bytes served: for each KERNELS count, a fresh sidecar (bin/metrics-sidecar,
# the launcher's flags) is filled with that many kernels of 2,000 series with a 200-character
# label, then scraped 5 times to warm up and 15 times timed with curl; prints the median.
# Usage: bench/sidecar/scrape-vs-bytes.sh [KERNELS...=2 8 30]   (after mvn -DskipTests package)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/sidecar/target/metrics-sidecar.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo "kernels bytes median_seconds (load average $(cut -d' ' -f1 /proc/loadavg))"
for kernels in "${@:-2 8 30}"; do
  for k in $kernels; do
    work=$(mktemp -d)
    port=$(free_port)
    "$root/bin/metrics-sidecar" --port "$port" --no-collector.gpu --token-file "$work/t" --kernel-ttl 600 \
      > "$work/log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q 'listening on' "$work/log" && break; sleep 0.2; done
    java -cp "$jar" "$root/bench/sidecar/FillKernels.java" "$port" "$work/t" "$k" 2000 200 work/project > /dev/null
    for _ in 1 2 3 4 5; do curl -s -o /dev/null "127.0.0.1:$port/metrics"; done
    echo "$k $(for _ in $(seq 15); do curl -s -o /dev/null -w '%{size_download} %{time_total}\n' "127.0.0.1:$port/metrics"; done | sort -k2 -n | sed -n 8p)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$work"
  done
done
