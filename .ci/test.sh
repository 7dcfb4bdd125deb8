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
export CGO_ENABLED=1
go test -race "$@" ./...
