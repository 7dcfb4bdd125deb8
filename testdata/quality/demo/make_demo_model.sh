#!/usr/bin/env bash
# The demo quality model testdata/quality/demo/demo_quality.bin: a __label__hq vs
# __label__cc word-bigram fastText classifier trained with curator's own
# `curator classifier train` on the DCLM human-labelled pages (see README.md).
#
# Usage (from the repository root):
#   bash testdata/quality/demo/make_demo_model.sh
#
# Environment: SHARED_DATA (default ../shared/data: the project's shared data, see its
# README.md), WORK_DIR (scratch for train.txt/test.txt, default a new temporary
# directory), FASTTEXT (the reference tool, default `fasttext`; when present the script
# also trains it with the same flags on the same file and compares).
#
# Steps: prepare_data.py writes train.txt and test.txt (the held-out fifth of the
# human-labelled pages, chosen by SHA-256 of the text); curator trains on train.txt with
# FLAGS below; the model replaces demo_quality.bin (the script says whether the bytes
# changed), the held-out file replaces heldout.txt.gz, and both curator and fastText are
# tested on it (P@1, and ROC AUC of DCLM's hq score with auc.py).
#
# Deterministic: the data preparation has no randomness but a fixed-seed shuffle, and
# -thread 1 -seed 42 makes training reproduce the model bit for bit (curator's trainer
# also gives fastText 0.9.2's bytes for these flags).
set -euo pipefail

demo=testdata/quality/demo
[ -f go.mod ] && [ -f "$demo/prepare_data.py" ] ||
  { echo "make_demo_model.sh: run me from the repository root (bash $demo/make_demo_model.sh)" >&2; exit 1; }
shared=${SHARED_DATA:-../shared/data}
[ -f "$shared/quality/dclm_human_majority_data.jsonl" ] ||
  { echo "make_demo_model.sh: no shared data at $shared (need $shared/quality/dclm_human_majority_data.jsonl; set SHARED_DATA)" >&2; exit 1; }
work=${WORK_DIR:-$(mktemp -d /tmp/curator-demo-quality.XXXXXX)}
mkdir -p "$work"
ft=${FASTTEXT:-fasttext}

# DCLM trains with -wordNgrams 2 and otherwise fastText's defaults on ~400k documents.
# Here: ~400 documents, so -lr 0.5 -epoch 25 (the defaults, lr 0.1 and 5 epochs, leave
# the model near its initialisation: it predicts hq for almost everything), and
# -dim 8 -bucket 20000 -minCount 2 to keep the file near 1.3 MB instead of DCLM's ~1 GB.
FLAGS=(-wordNgrams 2 -dim 8 -bucket 20000 -minCount 2 -lr 0.5 -epoch 25 -thread 1 -seed 42)

python3 "$demo/prepare_data.py" "$shared" "$work"

echo "+ go run ./curator classifier train -input $work/train.txt -output $work/demo_quality ${FLAGS[*]}" >&2
go run ./curator classifier train -input "$work/train.txt" -output "$work/demo_quality" "${FLAGS[@]}"
if [ -f "$demo/demo_quality.bin" ]; then
  if cmp -s "$work/demo_quality.bin" "$demo/demo_quality.bin"; then
    echo "make_demo_model.sh: model identical to the shipped $demo/demo_quality.bin" >&2
  else
    echo "make_demo_model.sh: model DIFFERS from the shipped $demo/demo_quality.bin; replacing it" >&2
  fi
fi
cp "$work/demo_quality.bin" "$demo/demo_quality.bin"
gzip -9 -n -c "$work/test.txt" >"$demo/heldout.txt.gz"
sha256sum "$demo/demo_quality.bin"
ls -l "$demo/demo_quality.bin" "$demo/heldout.txt.gz"

echo "== curator: held-out test (classifier test, k=1)"
go run ./curator classifier test "$demo/demo_quality.bin" "$work/test.txt"
go run ./curator classifier predict-prob "$demo/demo_quality.bin" "$work/test.txt" >"$work/curator.pred.txt"
echo "AUC	$(python3 "$demo/auc.py" "$work/test.txt" "$work/curator.pred.txt")"

if command -v "$ft" >/dev/null; then
  echo "== fastText ($(command -v "$ft")): same flags, same file"
  "$ft" supervised -input "$work/train.txt" -output "$work/fasttext_quality" "${FLAGS[@]}" -verbose 0
  "$ft" test "$work/fasttext_quality.bin" "$work/test.txt"
  "$ft" predict-prob "$work/fasttext_quality.bin" "$work/test.txt" >"$work/fasttext.pred.txt"
  echo "AUC	$(python3 "$demo/auc.py" "$work/test.txt" "$work/fasttext.pred.txt")"
  if cmp -s "$work/fasttext_quality.bin" "$demo/demo_quality.bin"; then
    echo "fastText's model is byte-identical to curator's"
  else
    echo "fastText's model differs from curator's (see its P@1 above)"
  fi
else
  echo "make_demo_model.sh: $ft not found (apt-get install fasttext): fastText comparison skipped" >&2
fi
echo "make_demo_model.sh: done; scratch files in $work" >&2
