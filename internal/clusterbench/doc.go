// Package clusterbench measures curator's cluster mode with real processes
// on this machine: one worker process against two, and cluster mode
// against `curator run` on the same input. It needs a pool from
// ../shared/bench/make_pool.py:
//
//	CURATOR_BENCH_POOL=/tmp/pool20k go test -run '^$' -bench . -benchtime 1x -timeout 0 ./internal/clusterbench/
//
// Each iteration is a whole run over $CURATOR_BENCH_POOL/warc with
// $CURATOR_BENCH_RECIPE (default recipes/dclm-baseline.yaml); the reported
// docs/s and MB/s are of the run's wall time, from submit to the end of
// `curator wait` (a cluster's processes are warmed up by an untimed first
// run; `curator run` starts a process per run, start-up included).
package clusterbench
