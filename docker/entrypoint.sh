#!/usr/bin/env bash
# The research container's entrypoint: the metrics sidecar beside a Jupyter server, stopped
# together. Jupyter's own /metrics is open to Prometheus (authenticate_prometheus=False); the
# notebook UI still needs its token (JUPYTER_TOKEN, or the one Jupyter prints).
# Extra arguments go to Jupyter. The settings below have the image's values as defaults, so the
# same script runs (and is tested) outside the image too.
set -euo pipefail
home=${RESEARCH_HOME:-/opt/research-monitor}
bind=${RESEARCH_BIND:-0.0.0.0}
jupyter_port=${JUPYTER_PORT:-8888}
sidecar_port=${SIDECAR_PORT:-9464}

"$home/bin/metrics-sidecar" --port "$sidecar_port" --bind "$bind" &
sidecar=$!

# Kernels report to the sidecar over this container's loopback.
export RESEARCH_MONITOR_SIDECAR_URL=${RESEARCH_MONITOR_SIDECAR_URL:-http://127.0.0.1:$sidecar_port}
# JupyterLab 4 on Jupyter Server 2 where it is installed (the image; the classic UI stays at /tree),
# else the classic notebook server (Debian bookworm's, where this script is tested outside the image).
jupyter=${JUPYTER:-jupyter}
if [[ -x "$(dirname "$(command -v "$jupyter")")/jupyter-lab" ]]; then
  app=(lab --ServerApp.authenticate_prometheus=False)
else
  app=(notebook --NotebookApp.authenticate_prometheus=False)
fi
"$jupyter" "${app[@]}" --no-browser --ip="$bind" --port="$jupyter_port" --port-retries=0 "$@" &
jupyter=$!

stop() {
  kill -TERM "$jupyter" "$sidecar" 2>/dev/null || true
}
asked=0
trap 'asked=1; stop' TERM INT

# Whichever stops first (or a TERM) takes the other down, so the container never runs half.
status=0
wait -n "$jupyter" "$sidecar" || status=$?
if ((!asked)); then echo "research-entrypoint: a part exited ($status); stopping the other" >&2; fi
stop
wait "$jupyter" 2>/dev/null || true
wait "$sidecar" 2>/dev/null || true
# a stop asked for is a clean exit; one part dying on its own is not
if ((asked)) && ((status > 128)); then status=0; fi
exit "$status"
