#!/usr/bin/env bash
# Training-metrics benchmark: DJL training with and without PrometheusTrainingListener, and the
# cost of recording one batch through TrainingMetrics against client_java by hand, same run.
# Usage: bench/ml/run.sh [ROUNDS=7]   (after mvn -B -DskipTests package; DJL comes from ~/.m2 or Maven Central)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rounds=${1:-7}
jar="$root/kernel/target/research-kernel.jar"
[ -f "$jar" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the class path %maven gives a notebook: DJL, PyTorch's CPU engine, the listener jar
djl=$(java -cp "$jar" "$root/bench/ml/DjlClasspath.java" "$work")
java -Xmx1g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 -cp "$jar:$djl" "$root/bench/ml/TrainingBench.java" "$rounds" 2>&1 | grep -v '^SLF4J'
