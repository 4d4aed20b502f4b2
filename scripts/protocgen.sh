#!/usr/bin/env bash
# Generates Go code from proto/ without buf.build: protoc (Debian's protobuf-compiler) with
# protoc-gen-gocosmos and protoc-gen-grpc-gateway, include paths taken from the Go module cache.
# The generated files are committed; `make proto-check` verifies they are current.
set -euo pipefail
cd "$(dirname "$0")/.."

GOBIN="$(go env GOPATH)/bin"
export PATH="$GOBIN:$PATH"
command -v protoc >/dev/null || { echo "protoc missing: apt-get install -y protobuf-compiler" >&2; exit 1; }
[ -x "$GOBIN/protoc-gen-gocosmos" ] || go install github.com/cosmos/gogoproto/protoc-gen-gocosmos@v1.7.2
[ -x "$GOBIN/protoc-gen-grpc-gateway" ] || go install github.com/grpc-ecosystem/grpc-gateway/protoc-gen-grpc-gateway@v1.16.0

D() { go list -m -f '{{.Dir}}' "$1"; }
SDK=$(D github.com/cosmos/cosmos-sdk)
GOGO=$(D github.com/cosmos/gogoproto)
CPROTO=$(D github.com/cosmos/cosmos-proto)
GW=$(D github.com/grpc-ecosystem/grpc-gateway)
INC=/usr/include
[ -f "$INC/google/protobuf/any.proto" ] || INC=$(dirname "$(command -v protoc)")/../include

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for dir in $(find proto -name '*.proto' -exec dirname {} \; | sort -u); do
  protoc -I proto -I "$SDK/proto" -I "$GOGO" -I "$CPROTO/proto" -I "$GW/third_party/googleapis" -I "$INC" \
    --gocosmos_out=plugins=grpc,Mgoogle/protobuf/any.proto=github.com/cosmos/gogoproto/types/any:"$out" \
    --grpc-gateway_out=logtostderr=true,allow_colon_final_segments=true:"$out" \
    "$dir"/*.proto
done
mod=$(go list -m)
cp -r "$out/$mod/"* ./
echo "generated: $(cd "$out/$mod" && find . -name '*.go' | sort | tr '\n' ' ')"
bash scripts/openapigen.sh
