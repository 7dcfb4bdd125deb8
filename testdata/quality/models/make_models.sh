#!/usr/bin/env bash
# Reference fixtures for the Go fastText reader/predictor (package filters/quality), made
# with the real fastText 0.9.2 command-line tool (Debian: `apt-get install fasttext`).
#
# Usage (from the repository root):
#   bash testdata/quality/models/make_models.sh          # small models + predictions + manifest.json
#   FULL=0 bash testdata/quality/models/make_models.sh   # skip the full lid_train reference run
#   bash testdata/quality/models/make_models.sh --big    # only: train /tmp/fasttext-1gb.bin (not in the repo)
#
# Environment: SHARED_DATA (default: ../shared/data beside the repository), WORK_DIR
# (scratch, default /tmp/curator-fasttext-work: the full-size lid models stay there),
# FASTTEXT (the binary, default `fasttext`), FULL (1: also train and test on the whole
# lid_train.txt and record P@1 and the training time in manifest.json).
#
# Deterministic: data/ is derived from the shared data without randomness, every model
# is trained with -thread 1 -seed 1 and quantize's k-means has a fixed seed, so the
# same fastText build on the same CPU gives byte-identical files. Another compiler or
# CPU may change the last bits of the floats, hence of the models: the committed files
# are the reference, regenerate only to change them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
shared=${SHARED_DATA:-$root/../shared/data}
work=${WORK_DIR:-/tmp/curator-fasttext-work}
ft=${FASTTEXT:-fasttext}
full=${FULL:-1}

command -v "$ft" >/dev/null || { echo "make_models.sh: $ft not found: apt-get install fasttext" >&2; exit 1; }
ftversion=unknown
if command -v dpkg-query >/dev/null && dpkg-query -W -f='${Version}' fasttext >/dev/null 2>&1; then
  ftversion=$(dpkg-query -W -f='${Version}' fasttext)
fi
case $ftversion in
  0.9.2*) ;;
  *) echo "make_models.sh: warning: fastText package version '$ftversion', fixtures were made with 0.9.2" >&2 ;;
esac
[ -f "$shared/fasttext/lid_train.txt" ] || { echo "make_models.sh: no shared data at $shared (set SHARED_DATA)" >&2; exit 1; }
mkdir -p "$work"

# --big: a model with DCLM's classifier shape (dim 100, 2M buckets, word bigrams) to
# measure load time and memory; ~0.8 GB, never committed.
if [ "${1:-}" = --big ]; then
  big=${BIG_OUT:-/tmp/fasttext-1gb}
  "$ft" supervised -input "$shared/fasttext/lid_train.txt" -output "$big" -wordNgrams 2 -dim 100 \
    -bucket 2000000 -epoch 1 -lr 0.1 -minCount 1 -loss softmax -thread 2 -seed 1 -verbose 1
  rm -f "$big.vec"
  ls -l "$big.bin"
  exit 0
fi

data=$here/data
pred=$here/pred
python3 "$here/prepare_data.py" "$shared" "$data"
rm -rf "$pred" "$here"/*.bin "$here"/*.ftz
mkdir -p "$pred"
records=$work/records.tsv
: >"$records"

# train NAME DATAFILE FLAGS...: a supervised model NAME.bin from data/DATAFILE.
train() {
  local name=$1 datafile=$2; shift 2
  local input=$data/$datafile
  if [ "$datafile" = sms_train_class.txt ]; then # same text, label prefix __class__
    input=$work/sms_train_class.txt
    sed 's/^__label__/__class__/' "$data/sms_train.txt" >"$input"
  fi
  "$ft" supervised -input "$input" -output "$work/$name" -thread 1 -seed 1 -verbose 0 "$@"
  mv "$work/$name.bin" "$here/$name.bin"
  rm -f "$work/$name.vec"
  printf 'model\t%s\t%s.bin\t%s\t%s\n' "$name" "$name" "$datafile" "$*" >>"$records"
}

# quantize NAME FROM DATAFILE FLAGS...: NAME.ftz from FROM.bin (quantize needs -input
# even without -retrain; it reads the text only to retrain).
quantize() {
  local name=$1 from=$2 datafile=$3; shift 3
  cp "$here/$from.bin" "$work/$name.bin"
  "$ft" quantize -input "$data/$datafile" -output "$work/$name" -thread 1 -verbose 0 "$@"
  mv "$work/$name.ftz" "$here/$name.ftz"
  rm -f "$work/$name.bin" "$work/$name.vec"
  printf 'quant\t%s\t%s.ftz\t%s\t%s\t%s\n' "$name" "$name" "$from" "$datafile" "$*" >>"$records"
}

# predict MODELFILE INPUT MODE K [THRESHOLD]: one fastText run, output in pred/.
predict() {
  local file=$1 input=$2 mode=$3 k=$4 th=${5:-}
  local base=${file%.*} tag=""
  case $input in inputs_noeol.txt) tag=.noeol ;; inputs_eos.txt) tag=.eos ;; esac
  local out=$base$tag.$k${th:+.$th}
  [ "$mode" = predict ] && out=$out.labels
  out=$out.pred.txt
  "$ft" "$mode" "$here/$file" "$data/$input" "$k" ${th:+"$th"} >"$pred/$out"
  printf 'pred\t%s\t%s\t%s\t%s\t%s\tpred/%s\n' "$file" "$input" "$mode" "$k" "$th" "$out" >>"$records"
}

common=(-epoch 5 -lr 0.5)
lidc=(-epoch 25 -lr 1.0) # 744 short lines: 5 epochs leave softmax near uniform
# Language ID: char n-grams (minn/maxn), 12 labels.
train lid_char24_softmax   lid_train_small.txt "${lidc[@]}" -loss softmax -minn 2 -maxn 4 -wordNgrams 1 -dim 8 -bucket 1000 -minCount 2
train lid_char35_ova       lid_train_small.txt "${lidc[@]}" -loss ova -minn 3 -maxn 5 -wordNgrams 1 -dim 8 -bucket 1000 -minCount 2
train lid_char13_hs_bigram lid_train_small.txt "${lidc[@]}" -loss hs -minn 1 -maxn 3 -wordNgrams 2 -dim 8 -bucket 1000 -minCount 2
train lid_char25_ns_mc3    lid_train_small.txt "${lidc[@]}" -loss ns -neg 3 -minn 2 -maxn 5 -wordNgrams 1 -dim 10 -bucket 1000 -minCount 3
# Spam: words only (minn 0 maxn 0), word n-grams 1/2/3, 2 labels. wordNgrams 1 with
# maxn 0 makes fastText set bucket 0 (no n-gram rows at all): sms_ova_classprefix_mc2.
train sms_bigram_softmax      sms_train.txt "${common[@]}" -loss softmax -minn 0 -maxn 0 -wordNgrams 2 -dim 8 -bucket 1000 -minCount 1
train sms_trigram_ns_mc2      sms_train.txt "${common[@]}" -loss ns -neg 5 -minn 0 -maxn 0 -wordNgrams 3 -dim 8 -bucket 1000 -minCount 2
train sms_bigram_hs_mc3       sms_train.txt "${common[@]}" -loss hs -minn 0 -maxn 0 -wordNgrams 2 -dim 8 -bucket 1000 -minCount 3
train sms_ova_classprefix_mc2 sms_train_class.txt "${common[@]}" -loss ova -minn 0 -maxn 0 -wordNgrams 1 -dim 8 -minCount 2 -label __class__
# UDHR: 532 labels (quantize -qout needs an output matrix of >= 256 rows).
train udhr_char34_softmax_mc2 udhr_train.txt -epoch 25 -lr 1.0 -loss softmax -minn 3 -maxn 4 -wordNgrams 1 -dim 8 -bucket 1000 -minCount 2

# Quantized (.ftz). Without -cutoff: full dictionary, pruneidx_size -1. With -cutoff:
# the input rows are pruned (cutoff < nwords + bucket, or nothing happens), words are
# dropped from the dictionary and its pruneidx maps the kept n-gram buckets to rows.
quantize sms_bigram_softmax_q          sms_bigram_softmax sms_train.txt -qnorm
quantize sms_bigram_softmax_cut_retrain sms_bigram_softmax sms_train.txt -cutoff 1000 -retrain -epoch 1 -lr 0.1 -qnorm
quantize sms_bigram_softmax_cut        sms_bigram_softmax sms_train.txt -cutoff 600
quantize lid_char24_softmax_cut_dsub4  lid_char24_softmax lid_train_small.txt -cutoff 800 -retrain -epoch 1 -lr 0.1 -qnorm -dsub 4
quantize lid_char13_hs_bigram_cut      lid_char13_hs_bigram lid_train_small.txt -cutoff 1200
quantize udhr_char34_softmax_qout_cut  udhr_char34_softmax_mc2 udhr_train.txt -cutoff 1000 -retrain -epoch 1 -lr 0.5 -qnorm -qout

for f in $(cd "$here" && ls *.bin *.ftz); do
  kall=3 # k=-1 (all labels) on the 2-label models and one 12-label one: keeps pred/ small
  case $f in sms* | lid_char24_softmax.bin) kall=-1 ;; esac
  predict "$f" inputs.txt predict-prob 1
  predict "$f" inputs.txt predict-prob "$kall"
  predict "$f" inputs.txt predict-prob 2 0.1
  predict "$f" inputs.txt predict 2
  predict "$f" inputs_noeol.txt predict-prob 1
  predict "$f" inputs_eos.txt predict-prob 1
done

# Reference numbers on the whole lid_train.txt / lid_test.txt (models stay in $work).
if [ "$full" = 1 ]; then
  lidref() { # KEY FLAGS...
    local key=$1; shift
    local t0 t1 res
    t0=$(date +%s.%N)
    "$ft" supervised -input "$shared/fasttext/lid_train.txt" -output "$work/$key" -thread 1 -seed 1 -verbose 0 "$@"
    t1=$(date +%s.%N)
    rm -f "$work/$key.vec"
    res=$("$ft" test "$work/$key.bin" "$shared/fasttext/lid_test.txt" 1 | tr '\n\t' '  ')
    printf 'lid\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$*" "$(echo "$t1 - $t0" | bc)" \
      "$(stat -c %s "$work/$key.bin")" "$res" "$(nproc)" >>"$records"
  }
  lidref lid_full_std -loss softmax -minn 2 -maxn 4 -dim 16 -epoch 5 -lr 0.5 -wordNgrams 1 -bucket 200000 -minCount 1
  lidref lid_full_visible_like -loss softmax -minn 3 -maxn 5 -dim 16 -epoch 10 -lr 0.1 -wordNgrams 1 -bucket 20000 -minCount 1
fi

python3 "$here/write_manifest.py" "$here" "$records" "$ftversion" "$shared"
du -sh "$here"
