#!/bin/sh
# Regenerates rust_decisions_*.txt.zst: the decisions of rust_oldboth/ (an
# independent Rust transcription of DCLM's BFF loops over an exact set, on
# Rust's unicode-segmentation) for the corpus TestMatchesRustReference writes.
# Usage (from testdata/dedup): gen_rust_decisions.sh PATH/TO/rust_oldboth-binary
set -e
bin=$1
(cd ../../filters/dedup && CURATOR_DEDUP_DUMP=/tmp/dedup-refcorpus.bin go test -run RustReference . >/dev/null || true)
for run in "old-both 13 13 0.8" "paragraph 13 13 0.8" "document 13 13 0.8" "old-both 5 3 0.5"; do
	set -- $run
	"$bin" "$1" "$2" "$3" "$4" < /tmp/dedup-refcorpus.bin > "rust_decisions_$1_$2_$3_$4.txt"
	zstd -q -19 -f --rm "rust_decisions_$1_$2_$3_$4.txt"
done
