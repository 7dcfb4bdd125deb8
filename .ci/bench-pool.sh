#!/usr/bin/env bash
# End-to-end benchmark on a pool from ../shared/bench/make_pool.py, one worker (one core
# for the steps; NATS and the writers share the other). Prints Markdown rows for
# docs/BENCHMARKS.md; with --update, also writes them into its pool table.
# Usage: .ci/bench-pool.sh [--update] POOL_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
update=no
if [ "${1:-}" = --update ]; then update=yes; shift; fi
pool=${1:?usage: bench-pool.sh [--update] POOL_DIR}
go build -o bin/curator ./curator
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

run() { # name recipe inputs...
  local name=$1 recipe=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/env time -f '%M' -o "$out/$name.rss" bin/curator run --workers 1 --log-level warn \
    --recipe "$recipe" --output "$out/$name" "$@" >/dev/null 2>"$out/$name.log" || { cat "$out/$name.log"; exit 1; }
  t1=$(date +%s.%N)
  python3 - "$out/$name" "$name" "$t0" "$t1" "$(cat "$out/$name.rss")" <<'PY'
import json, os, sys
d, name, t0, t1, rss = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
wall = t1 - t0
run = json.load(open(os.path.join(d, "run.json")))
for r in run["recipes"]:
    st = json.load(open(os.path.join(d, r["name"], "stats.json")))
    steps = st["steps"]
    first = steps[0]
    docs, bytes_in = first["in"], first["bytes_in"]
    cpu = sum(s["time"]["cpu_seconds"] for s in steps)
    print(f"| {name} | {docs} | {bytes_in/1e6:.1f} MB | {wall:.1f} s | {docs/wall:,.0f} docs/s, {bytes_in/1e6/wall:.1f} MB/s "
          f"| {docs/cpu:,.0f} docs/s, {bytes_in/1e6/cpu:.1f} MB/s | {rss/1024:.0f} MiB |")
PY
}
{
  echo "| run | docs in | bytes in | wall | end to end (1 worker) | in the steps only | peak RSS |"
  echo "|---|---|---|---|---|---|---|"
  run warc-extract testdata/bench/extract-only.yaml "$pool"/warc
  run jsonl-heuristics recipes/dclm-baseline-heuristics.yaml "$pool"/jsonl
  run warc-dclm-baseline recipes/dclm-baseline.yaml "$pool"/warc
  run jsonl-dedup testdata/bench/dedup.yaml "$pool"/jsonl
} | tee "$out/table.md"
if [ $update = yes ]; then
  python3 - docs/BENCHMARKS.md "$out/table.md" <<'PY'
import sys
path, table = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
s = open(path).read()
begin = s.index("\n", s.index("<!-- pool table")) + 1
end = s.index("<!-- end pool table -->")
open(path, "w").write(s[:begin] + table + "\n" + s[end:])
PY
  echo "updated docs/BENCHMARKS.md"
fi
