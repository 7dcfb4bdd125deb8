#!/usr/bin/env bash
# The README's test command: every test with the race detector. The race
# detector needs cgo and a C compiler; on a machine with only Go, this installs
# gcc from Debian's packages first (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v "$(go env CC)" >/dev/null 2>&1; then
  echo "test.sh: no C compiler ($(go env CC)); the race detector needs one: installing gcc" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq gcc libc6-dev >/dev/null
fi
# The browser tests (internal/browser and the end-to-end tests of the report
# and dashboard pages) drive a headless Chromium, and they fail under CI=true
# when there is none: install Debian's chromium package when no browser is on
# PATH (internal/browser.Find also accepts CURATOR_CHROMIUM).
if [ -z "${CURATOR_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 &&
  ! command -v chromium-browser >/dev/null 2>&1 && ! command -v google-chrome >/dev/null 2>&1; then
  echo "test.sh: no Chromium; the browser tests need one: installing chromium" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
export CGO_ENABLED=1
# The lang step caches lingua's quadrigram and fivegram tables on disk: build
# them once for this run (a plain build is many times faster than under the
# race detector), so that the packages whose tests use the step map them
# instead of each building them again. filters/langid/ngram's own tests build
# them in a directory of their own, under the race detector.
if [ -z "${CURATOR_CACHE_DIR:-}" ]; then
  CURATOR_CACHE_DIR=$(mktemp -d)
  trap 'rm -rf "$CURATOR_CACHE_DIR"' EXIT
  export CURATOR_CACHE_DIR
fi
echo "Hi there" | go run ./curator langid >/dev/null
# -short: the cluster fault tests (internal/faults) run their quick subset
# here; `make test-faults` runs them all.
# A package's tests may take longer than go test's default 10 minutes under
# the race detector on a small, busy machine.
go test -race -short -timeout 30m "$@" ./...
# The trafilatura extraction engine is built only with -tags trafilatura
# (go-trafilatura's date parser costs every process ~0.4 s at start-up).
go test -race -short -tags trafilatura "$@" ./filters/extract/
