#!/bin/sh
# Regenerates proto/curator.pb.go from proto/curator.proto; `make proto` calls it.
# Installs protoc (apt) and protoc-gen-go (go install) when they are missing.
set -eu
cd "$(dirname "$0")"
PROTOC_GEN_GO_VERSION=v1.36.12
if ! command -v protoc >/dev/null 2>&1; then
	echo "gen.sh: installing protoc (protobuf-compiler)" >&2
	if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
	$SUDO apt-get update -qq && $SUDO apt-get install -y -qq protobuf-compiler
fi
GOBIN_DIR="$(go env GOBIN)"
[ -n "$GOBIN_DIR" ] || GOBIN_DIR="$(go env GOPATH)/bin"
PATH="$GOBIN_DIR:$PATH"
if ! command -v protoc-gen-go >/dev/null 2>&1 ||
	! protoc-gen-go --version 2>/dev/null | grep -q "$PROTOC_GEN_GO_VERSION"; then
	echo "gen.sh: installing protoc-gen-go $PROTOC_GEN_GO_VERSION" >&2
	go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
fi
protoc --proto_path=. --go_out=. --go_opt=paths=source_relative curator.proto
