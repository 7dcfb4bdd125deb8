#!/usr/bin/env bash
# `make example-cluster`: curator in cluster mode on this machine, on
# loopback only. It builds nats-server (from the Go module curator already
# depends on) and curator, starts a JetStream server, a coordinator and two
# workers, submits the DCLM-Baseline recipe over the bundled example data,
# waits for the run, prints its state and where its outputs are, then stops
# everything (also on Ctrl-C or an error).
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
work=$(mktemp -d "${TMPDIR:-/tmp}/curator-example-cluster.XXXXXX")
out=${OUT:-out/example-cluster}
pids=()
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop EXIT

echo "example-cluster: building nats-server and curator into $work" >&2
$GO build -o "$work/nats-server" github.com/nats-io/nats-server/v2
$GO build -o "$work/curator" ./curator

# A free port on 127.0.0.1 for NATS.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 14222)
nats="nats://127.0.0.1:$port"
"$work/nats-server" -js -a 127.0.0.1 -p "$port" -sd "$work/jetstream" -n curator-example >"$work/nats.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  "$work/curator" status --nats "$nats" >/dev/null 2>&1 && break
  grep -q "Server is ready" "$work/nats.log" && break
  sleep 0.1
done

rm -rf "$out"
mkdir -p "$out"
root=$(cd "$out" && pwd)
export CURATOR_CACHE_DIR=${CURATOR_CACHE_DIR:-$HOME/.cache/curator}
"$work/curator" coordinator --nats "$nats" --output-root "$root" --http 127.0.0.1:0 >"$work/coordinator.log" 2>&1 &
pids+=($!)
for w in 1 2; do
  "$work/curator" worker --nats "$nats" --workers 1 --id "worker-$w" --output-root "$root" \
    --cache-dir "$work/worker-$w" >"$work/worker-$w.log" 2>&1 &
  pids+=($!)
done

# Submit once the coordinator has made its buckets.
for i in $(seq 100); do
  if run=$("$work/curator" submit --nats "$nats" --recipe recipes/dclm-baseline.yaml --output example \
      --run-id example testdata/example 2>"$work/submit.err"); then
    break
  fi
  grep -q "buckets are missing" "$work/submit.err" || { cat "$work/submit.err" >&2; exit 1; }
  sleep 0.1
done
echo "example-cluster: submitted run $run; waiting" >&2
status=0
"$work/curator" wait --nats "$nats" --timeout 10m "$run" || status=$?
echo
echo "outputs: $root/example (run.json, <recipe>/data, <recipe>/stats.json)"
for w in 1 2; do
  printf 'worker-%s ran %s of the tasks (run.json)\n' "$w" "$(grep -c "\"worker\": \"worker-$w\"" "$root/example/run.json" || true)"
done
if [ "$status" != 0 ]; then
  echo "example-cluster: the run did not succeed; the coordinator said:" >&2
  tail -20 "$work/coordinator.log" >&2
fi
exit "$status"
