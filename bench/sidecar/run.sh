#!/usr/bin/env bash
# Sidecar benchmark: 8 stub GPUs, 50 reporting kernels, 1 scrape/s; Prometheus scrapes the sidecar
# (job research) and node_exporter (job node) every second in the same run, as the peer.
# Usage: bench/sidecar/run.sh [SECONDS=60] [KERNELS=50] [MODE=usual|limits]   (after mvn -DskipTests package)
# "limits": KERNELS kernels of 2,000 long-labelled series each (30: past the 50,000-series limit),
# the sidecar at its default limits; Prometheus scrapes every 5 s then (a scrape is megabytes).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
kernels=${2:-50}
mode=${3:-usual}
interval=1s
if [ "$mode" = limits ]; then interval=5s; fi
jar="$root/sidecar/target/metrics-sidecar.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The stub NVML with 8 GPUs, each with a process of the bench driver (attributed to its kernels).
gcc -shared -fPIC -O2 -o "$work/libnvidia-ml.so.1" "$root/sidecar/src/test/c/nvml_stub.c" -ldl
printf 'STUB_NVML_GPUS=8\n' > "$work/libnvidia-ml.so.1.env"

sidecar_port=$(free_port); node_port=$(free_port); prom_port=$(free_port)
# through the launcher, so with its JVM flags (SIDECAR_JAVA_OPTS overrides them as there)
"$root/bin/metrics-sidecar" --port "$sidecar_port" --nvml-library "$work/libnvidia-ml.so.1" \
  --token-file "$work/sidecar.token" --kernel-ttl 600 > "$work/sidecar.log" 2>&1 &
sidecar_pid=$!; pids+=("$sidecar_pid")
/usr/bin/prometheus-node-exporter --no-collector.systemd --web.listen-address="127.0.0.1:$node_port" \
  > "$work/node.log" 2>&1 &
pids+=($!)
cat > "$work/prometheus.yml" <<YML
global: {scrape_interval: $interval, scrape_timeout: $interval, evaluation_interval: $interval}
scrape_configs:
  - job_name: research
    static_configs: [{targets: ['127.0.0.1:$sidecar_port'], labels: {component: sidecar}}]
  - job_name: node
    static_configs: [{targets: ['127.0.0.1:$node_port']}]
YML
/usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" > "$work/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q 'listening on' "$work/sidecar.log" && break; sleep 0.2; done

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
java -Xmx256m -cp "$jar" "$root/bench/sidecar/SidecarBench.java" \
  "$sidecar_port" "$work/sidecar.token" "$sidecar_pid" "$prom_port" "$kernels" "$seconds" "$mode"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
