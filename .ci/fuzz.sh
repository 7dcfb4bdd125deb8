#!/usr/bin/env bash
# Runs every fuzz target of the module for a while (default 30s each).
# Crashers land in the package's testdata/fuzz/ and become regression tests.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-30s}
failed=()
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
    echo "== $pkg $target ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 10s "$pkg" || failed+=("$pkg $target")
  done
done
if [ ${#failed[@]} -gt 0 ]; then
  printf 'fuzzing failed: %s\n' "${failed[@]}"
  exit 1
fi
echo "every fuzz target ran for $fuzztime without a failure"
