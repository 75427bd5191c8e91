#!/usr/bin/env bash
# The GPU collector against a real driver: runs the sidecar on the machine's libnvidia-ml.so.1,
# starts a small CUDA load if one is at hand, scrapes twice, compares every GPU family with
# nvidia-smi, checks that the energy given to notebooks, other and idle adds up to the GPU's own
# counter (bench/gpu/energy_conservation.py), and writes the results.
#
#   bench/gpu/real-nvml.sh [OUT_DIR]          on a GPU machine (default OUT_DIR: $OUT, else bench/gpu/results)
#   bench/gpu/real-nvml.sh --prepare          here: builds the sidecar jar and a small Java runtime
#                                             (target/gpu-bench/jre) for a machine without Java or Maven
#   bench/gpu/real-nvml.sh --dry-run [OUT]    here: the same steps on the stub NVML and a stand-in
#                                             nvidia-smi that reports the stub's values
#
# On the GPU machine it needs the built jar (sidecar/target/metrics-sidecar.jar; built here first if
# Maven and the dependencies are at hand) and java 17+ on PATH, in $JAVA_HOME or in target/gpu-bench/jre.
# Environment: NVML_LIBRARY (default: libnvidia-ml.so.1 from ldconfig), LOAD_SECONDS (default 40).
# Writes OUT_DIR/real-nvml.txt (machine, driver, the comparison, NVML pass time per GPU) beside the
# raw scrapes and nvidia-smi's CSV; exits 1 when a family disagrees with nvidia-smi.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/sidecar/target/metrics-sidecar.jar"
bench="$root/target/gpu-bench"
mode=real
case "${1:-}" in
  --prepare) mode=prepare; shift ;;
  --dry-run) mode=dry; shift ;;
esac

if [ "$mode" = prepare ]; then
  (cd "$root" && mvn -B -q -o -DskipTests -pl sidecar -am package)
  rm -rf "$bench/jre"
  mkdir -p "$bench"
  # The modules the shaded sidecar jar uses: jdeps --print-module-deps --ignore-missing-deps on it.
  modules=$(jdeps --print-module-deps --ignore-missing-deps --multi-release 17 "$jar")
  jlink --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$bench/jre"
  du -sh "$jar" "$bench/jre"
  echo "carry: sidecar/target/metrics-sidecar.jar target/gpu-bench"
  exit 0
fi

out=${1:-${OUT:-$root/bench/gpu/results}}
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 1
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
report="$out/real-nvml.txt"
say() { echo "$*" | tee -a "$report"; }
: > "$report"

# Java: PATH, JAVA_HOME or the prepared runtime.
java=java
if ! command -v java >/dev/null 2>&1; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"
  elif [ -x "$bench/jre/bin/java" ]; then java="$bench/jre/bin/java"
  else echo "no java: install 17+, set JAVA_HOME, or run --prepare here and carry target/gpu-bench" >&2; exit 2
  fi
fi
if [ ! -f "$jar" ]; then
  command -v mvn >/dev/null 2>&1 || { echo "no $jar and no Maven: build it first (--prepare)" >&2; exit 2; }
  (cd "$root" && mvn -B -q -o -DskipTests -pl sidecar -am package)
fi

if [ "$mode" = dry ]; then
  # The stub NVML (3 GPUs: GPM, no GPM, MIG) and an nvidia-smi that answers with the stub's values.
  gcc -shared -fPIC -O2 -o "$work/libnvidia-ml.so.1" "$root/sidecar/src/test/c/nvml_stub.c" -ldl
  printf '%s\n' STUB_NVML_GPUS=3 STUB_NVML_UNSUPPORTED=1:gpm STUB_NVML_MIG=2:1:1g.10gb:9728 \
    STUB_NVML_PROCESS_UTIL=0:999999:30:5 STUB_NVML_ENERGY_GROWS=1 STUB_NVML_SAMPLE_MS=200 \
    > "$work/libnvidia-ml.so.1.env"
  nvml="$work/libnvidia-ml.so.1"
  mkdir -p "$work/bin"
  cat > "$work/bin/nvidia-smi" <<'SMI'
#!/bin/sh
# Stand-in for the dry run: the stub's values (nvml_stub.c) in nvidia-smi's CSV.
case "$*" in
  *--query-gpu*) for i in 0 1 2; do
      echo "$i, GPU-00000000-0000-0000-0000-00000000000$i, Stub GPU $i, 550.54.15, $((50 + i)), $((20 + i)), 81920, $((40960 + i)), $((40960 - i)), $((60 + i)), $((70 + i)), $((250 + i)).00, 700.00, 1980, 2619, $((30 + i)), $([ $i = 2 ] && echo Enabled || echo Disabled)"
    done ;;
  *) echo "NVIDIA-SMI stand-in (dry run)" ;;
esac
SMI
  chmod +x "$work/bin/nvidia-smi"
  export PATH="$work/bin:$PATH"
else
  command -v nvidia-smi >/dev/null 2>&1 || { echo "no nvidia-smi: not a GPU machine?" >&2; exit 2; }
  nvml=${NVML_LIBRARY:-$(ldconfig -p 2>/dev/null | awk '/libnvidia-ml\.so\.1 \(libc6,x86-64\)/{print $NF; exit}')}
  [ -n "$nvml" ] || nvml=libnvidia-ml.so.1
fi

say "# bench/gpu/real-nvml.sh ($mode) $(date -u +%Y-%m-%dT%H:%M:%SZ)"
say "machine: $(nproc) cores, $(uname -r), $("$java" -version 2>&1 | head -1)"
say "nvml: $nvml"
nvidia-smi -L 2>&1 | sed 's/^/gpu: /' | tee -a "$report" || true

# A small CUDA load, if this machine has a way to run one: PyTorch, else CuPy, else nvcc.
load_seconds=${LOAD_SECONDS:-40}
load="none"
if [ "$mode" = real ]; then
  if python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    python3 - "$load_seconds" > "$work/load.log" 2>&1 <<'PY' &
import sys, time, torch
a = torch.randn(4096, 4096, device="cuda", dtype=torch.float16)
end = time.time() + float(sys.argv[1])
while time.time() < end:
    (a @ a).sum().item()
PY
    pids+=($!); load="torch fp16 matmul (tensor cores), pid $!"
  elif python3 -c 'import cupy' 2>/dev/null; then
    python3 -c "import cupy as cp, time; a=cp.random.rand(4096,4096,dtype=cp.float32); end=time.time()+$load_seconds
while time.time()<end: (a@a).sum().get()" > "$work/load.log" 2>&1 &
    pids+=($!); load="cupy fp32 matmul, pid $!"
  elif command -v nvcc >/dev/null 2>&1; then
    cat > "$work/spin.cu" <<'CU'
#include <cstdio>
#include <cstdlib>
__global__ void spin(float *x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) { float v = x[i]; for (int k = 0; k < 20000; k++) v = v * 1.0000001f + 0.5f; x[i] = v; }
}
int main(int argc, char **argv) {
  int seconds = argc > 1 ? atoi(argv[1]) : 30, n = 1 << 22;
  float *x; cudaMalloc(&x, n * sizeof(float));
  for (time_t end = time(0) + seconds; time(0) < end;) { spin<<<n / 256, 256>>>(x, n); cudaDeviceSynchronize(); }
  return 0;
}
CU
    if nvcc -O2 -o "$work/spin" "$work/spin.cu" > "$work/nvcc.log" 2>&1; then
      "$work/spin" "$load_seconds" > "$work/load.log" 2>&1 &
      pids+=($!); load="nvcc fp32 spin kernel, pid $!"
    fi
  fi
fi
say "load: $load"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$java" -Xmx64m -jar "$jar" --port "$port" --nvml-library "$nvml" --gpu-interval 1 \
  --token-file "$work/sidecar.token" > "$out/sidecar.log" 2>&1 &
pids+=($!)
scrape() { python3 -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:$port/metrics', timeout=10).read().decode())"; }
for _ in $(seq 150); do scrape > "$work/probe.txt" 2>/dev/null && grep -q '^gpu_nvml_available 1' "$work/probe.txt" && break; sleep 0.2; done
grep -q '^gpu_nvml_available 1' "$work/probe.txt" || { say "NVML not available to the sidecar:"; cat "$out/sidecar.log" | tee -a "$report"; exit 1; }
sleep 5 # a few 1 s refreshes: GPM has its two samples, the load is running
scrape > "$out/scrape1.txt"
sleep 5
scrape > "$out/scrape2.txt"
fields=$(python3 -c "import sys; sys.path.insert(0, '$root/bench/gpu'); import compare_nvml; print(','.join(compare_nvml.SMI_FIELDS))")
nvidia-smi --query-gpu="$fields" --format=csv,noheader,nounits > "$out/nvidia-smi.csv"
say "driver: $(cut -d, -f4 "$out/nvidia-smi.csv" | sort -u | tr -d ' ' | paste -sd' ')"
say ""
set +e
python3 "$root/bench/gpu/compare_nvml.py" "$out/scrape1.txt" "$out/scrape2.txt" "$out/nvidia-smi.csv" | tee -a "$report"
verdict=${PIPESTATUS[0]}
say ""
say "energy attributed to notebooks, other and idle against the GPU's own counter (issue 28):"
python3 "$root/bench/gpu/energy_conservation.py" "$out/scrape1.txt" "$out/scrape2.txt" | tee -a "$report"
[ "${PIPESTATUS[0]}" -eq 0 ] || verdict=1
set -e
say ""
say "files: $out/{real-nvml.txt,scrape1.txt,scrape2.txt,nvidia-smi.csv,sidecar.log}"
exit "$verdict"
