#!/usr/bin/env bash
# NVML pass cost per GPU, GPM on and off, 8 stub GPUs (each with 4 processes and their per-process
# samples), through the sidecar's real JNA reader.
# Usage: bench/gpu/pass-cost.sh [BLOCKS=20] [PASSES=200]   (after mvn -B -DskipTests package)
# SIDECAR_JAR=other.jar measures another build of the sidecar (a copy of the jar before a change),
# so that before and after run alternately on the same machine in one go.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="${SIDECAR_JAR:-$root/sidecar/target/metrics-sidecar.jar}"
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
procs=""; util=""; off=""
for g in 0 1 2 3 4 5 6 7; do
  for p in 1 2 3 4; do
    procs+="${procs:+,}$g:$((1000 + 10 * g + p)):1073741824"
    util+="${util:+,}$g:$((1000 + 10 * g + p)):20:5"
  done
  off+="${off:+,}$g:gpm"
done
for mode in on off; do
  mkdir -p "$work/$mode"
  gcc -shared -fPIC -O2 -o "$work/$mode/libnvidia-ml.so.1" "$root/sidecar/src/test/c/nvml_stub.c" -ldl
  {
    echo "STUB_NVML_GPUS=8"
    echo "STUB_NVML_PROCESSES=$procs"
    echo "STUB_NVML_PROCESS_UTIL=$util"
    [ "$mode" = off ] && echo "STUB_NVML_UNSUPPORTED=$off"
  } > "$work/$mode/libnvidia-ml.so.1.env"
done
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), jar $jar"
java ${BENCH_JAVA_OPTS:--Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} -cp "$jar" "$root/bench/gpu/NvmlPassBench.java" \
  "$work/on/libnvidia-ml.so.1" "$work/off/libnvidia-ml.so.1" "${1:-20}" "${2:-200}"
