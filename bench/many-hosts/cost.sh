#!/usr/bin/env bash
# What one research host costs the central store: samples per second and bytes on the wire, at the
# default 15 s scrape interval. Brings up a central store (--role central) and one host shipping to
# it, both local and on free ports in a temporary folder, lets them run for MINUTES (default 4),
# then reads the host Prometheus's own remote-write counters and the store's sample count.
#   bench/many-hosts/cost.sh [MINUTES]
# Needs the build (bin/setup) and Debian's prometheus, node-exporter and victoria-metrics.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
minutes=${1:-4}
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
store=$(free_port)
ports=()
for part in prometheus alertmanager node-exporter jupyter sidecar; do ports+=("--$part-port" "$(free_port)"); done
prom=${ports[1]}
manager() { "$here/bin/environment-manager" --runtime local "$@"; }
cleanup() {
  manager --state-dir "$work/host" "${ports[@]}" --no-monitoring >/dev/null 2>&1 || true
  manager --state-dir "$work/central" --role central --store-port "$store" --store-bind 127.0.0.1 --no-monitoring >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
manager --state-dir "$work/central" --role central --store-port "$store" --store-bind 127.0.0.1 --enable-monitoring >/dev/null
RESEARCH_MONITOR_HOME="$work/host/home" manager --state-dir "$work/host" "${ports[@]}" --host bench-host \
  --remote-write "http://127.0.0.1:$store/api/v1/write" --enable-monitoring >/dev/null
echo "running $minutes min at the default 15 s scrape interval ..." >&2
sleep $((minutes * 60))
q() { curl -s --get "http://127.0.0.1:$1/api/v1/query" --data-urlencode "query=$2" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "none")'; }
window="$((minutes - 1))m"
echo "samples/s shipped:       $(q "$prom" "sum(rate(prometheus_remote_storage_samples_total[$window]))")"
echo "bytes/s on the wire:     $(q "$prom" "sum(rate(prometheus_remote_storage_bytes_total[$window]))")"
echo "metadata bytes/s:        $(q "$prom" "sum(rate(prometheus_remote_storage_metadata_bytes_total[$window]))")"
echo "series per scrape round: $(q "$prom" "sum(scrape_samples_post_metric_relabeling)")"
echo "series in the store:     $(q "$store" "count({host=\"bench-host\"})")"
