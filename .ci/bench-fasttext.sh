#!/usr/bin/env bash
# Prediction speed of fastText 0.9.2 (the C++ tool) and, when it exists, of curator's
# own `curator classifier predict-prob`, on the same model and input, one thread each.
#
# Usage (from anywhere in the repository):
#   .ci/bench-fasttext.sh                      # the shared models (see below)
#   .ci/bench-fasttext.sh MODEL INPUT [MODEL INPUT]...
# Environment:
#   RUNS=5           timed runs per row (the median is reported), after one warm-up
#   LINES=50000      repeat each INPUT until it has at least this many lines (0: as is)
#   K=1              labels per line (predict-prob MODEL INPUT K)
#   SHARED_DATA      default ../shared/data beside the repository
#   CURATOR=0        skip curator even when curator/classifier.go exists
#   GOMAXPROCS=1     for curator (fastText's predict is single-threaded); exported as is
#   HYPERFINE=0      time with the date loop even when hyperfine is installed
#
# Without arguments it runs /work/shared/data/fasttext/visible_hq_cc_bigram.bin on
# hq_cc_inputs.txt and visible_lid_char.bin on lid_inputs.txt, both repeated to LINES.
#
# Each row: lines, model load time (the tool on an empty input), median wall time of the
# whole command, lines/s over the whole run and lines/s with the load time taken off,
# and for curator whether its output is byte-identical to fastText's. Timing uses
# hyperfine when installed (apt-get install hyperfine), else a loop of `date +%s.%N`.
# Needs: fasttext (apt-get install fasttext), python3; go for the curator row.
# The machine has 2 shared cores: numbers are noisy, compare rows of one run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
minlines=${LINES:-50000}
k=${K:-1}
shared=${SHARED_DATA:-$(pwd)/../shared/data}
export GOMAXPROCS=${GOMAXPROCS:-1}

command -v fasttext >/dev/null || { echo "bench-fasttext.sh: fasttext not found: apt-get install fasttext" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -eq 0 ]; then
  set -- "$shared/fasttext/visible_hq_cc_bigram.bin" "$shared/fasttext/hq_cc_inputs.txt" \
    "$shared/fasttext/visible_lid_char.bin" "$shared/fasttext/lid_inputs.txt"
fi
if [ $(($# % 2)) -ne 0 ]; then
  echo "usage: bench-fasttext.sh [MODEL INPUT]..." >&2
  exit 2
fi

curator=""
if [ "${CURATOR:-1}" = 1 ] && [ -f curator/classifier.go ]; then
  if go build -o "$tmp/curator" ./curator 2>"$tmp/build.log"; then
    curator=$tmp/curator
  else
    echo "bench-fasttext.sh: warning: go build ./curator failed, fastText only:" >&2
    cat "$tmp/build.log" >&2
  fi
fi

# seconds CMD...: median wall seconds of RUNS runs of CMD (stdout discarded).
seconds() {
  if [ "${HYPERFINE:-1}" = 1 ] && command -v hyperfine >/dev/null; then
    hyperfine -N --style none --warmup 1 --runs "$runs" --export-json "$tmp/h.json" \
      -- "$(printf '%q ' "$@")" >/dev/null 2>&1 || { echo "hyperfine failed on: $*" >&2; return 1; }
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$tmp/h.json"
  else
    "$@" >/dev/null # warm-up
    local i t0 t1 all=()
    for ((i = 0; i < runs; i++)); do
      t0=$(date +%s.%N)
      "$@" >/dev/null
      t1=$(date +%s.%N)
      all+=("$(echo "$t1 - $t0" | bc)")
    done
    printf '%s\n' "${all[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  fi
}

row() { # TOOL MODEL INPUT LINES CMD...
  local tool=$1 model=$2 input=$3 lines=$4; shift 4
  local load total same=""
  load=$(seconds "$@" "$model" "$tmp/empty.txt" "$k")
  total=$(seconds "$@" "$model" "$input" "$k")
  if [ "$tool" != fasttext ]; then
    "$@" "$model" "$input" "$k" >"$tmp/$tool.out"
    if cmp -s "$tmp/fasttext.out" "$tmp/$tool.out"; then same=yes; else
      same="no ($(diff "$tmp/fasttext.out" "$tmp/$tool.out" | grep -c '^<') lines differ)"
    fi
  else
    "$@" "$model" "$input" "$k" >"$tmp/fasttext.out"
    same="(reference)"
  fi
  python3 - "$tool" "$(basename "$model")" "$lines" "$load" "$total" "$same" <<'PY'
import sys
tool, model, lines, load, total, same = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
net = total - load
print(f"| {model} | {tool} | {lines:,} | {load:.3f} s | {total:.3f} s | {lines/total:,.0f} | "
      f"{(lines/net if net > 0 else float('nan')):,.0f} | {same} |")
PY
}

: >"$tmp/empty.txt"
echo "predict-prob K=$k, median of $runs runs, GOMAXPROCS=$GOMAXPROCS for curator, $(nproc) cores; $(date -u +%FT%TZ)"
echo
echo "| model | tool | lines | load | total | lines/s | lines/s excl. load | same output |"
echo "|---|---|---|---|---|---|---|---|"
while [ $# -gt 0 ]; do
  model=$1 input=$2
  shift 2
  [ -f "$model" ] || { echo "bench-fasttext.sh: no model $model" >&2; exit 1; }
  [ -f "$input" ] || { echo "bench-fasttext.sh: no input $input" >&2; exit 1; }
  in=$tmp/input.txt
  cp "$input" "$in"
  [ -n "$(tail -c1 "$in")" ] && echo >>"$in" # a last line without newline would merge on repeat
  n=$(wc -l <"$in")
  if [ "$minlines" -gt "$n" ] && [ "$n" -gt 0 ]; then # whole copies: ceil(LINES / n)
    for ((i = 0; i < (minlines + n - 1) / n; i++)); do cat "$in"; done >"$in.rep"
    mv "$in.rep" "$in"
  fi
  lines=$(wc -l <"$in")
  row fasttext "$model" "$in" "$lines" fasttext predict-prob
  if [ -n "$curator" ]; then
    row curator "$model" "$in" "$lines" "$curator" classifier predict-prob
  fi
done
