#!/usr/bin/env bash
# Generates internal/openapi/openapi.json, the OpenAPI (Swagger 2.0) document of the REST API the
# node serves: Guild's modules (every proto/guild/*/v1/query.proto) merged with the SDK services
# this chain runs (auth, bank, staking, distribution, slashing, gov, consensus, upgrade, nft,
# feegrant, tx, cometbft and node), offline with protoc-gen-swagger (grpc-gateway v1.16.0) and a
# small merge tool (internal/openapi/merge). `make proto` runs it after the Go code.
set -euo pipefail
cd "$(dirname "$0")/.."

GOBIN="$(go env GOPATH)/bin"
export PATH="$GOBIN:$PATH"
[ -x "$GOBIN/protoc-gen-swagger" ] || go install github.com/grpc-ecosystem/grpc-gateway/protoc-gen-swagger@v1.16.0

D() { go list -m -f '{{.Dir}}' "$1"; }
SDK=$(D github.com/cosmos/cosmos-sdk)
GOGO=$(D github.com/cosmos/gogoproto)
CPROTO=$(D github.com/cosmos/cosmos-proto)
GW=$(D github.com/grpc-ecosystem/grpc-gateway)
INC=/usr/include
[ -f "$INC/google/protobuf/any.proto" ] || INC=$(dirname "$(command -v protoc)")/../include

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
gen() { # gen NAME INCLUDE-ROOT FILE...: one Swagger document per service group
  local name=$1 root=$2; shift 2
  mkdir -p "$out/$name"
  protoc -I proto -I "$root" -I "$SDK/proto" -I "$GOGO" -I "$CPROTO/proto" \
    -I "$GW/third_party/googleapis" -I "$INC" \
    --swagger_out=logtostderr=true,allow_merge=true,merge_file_name="$name",fqn_for_swagger_name=true,simple_operation_ids=false:"$out/$name" \
    "$@"
}
for f in $(find proto/guild -name query.proto | sort); do
  gen "$(basename "$(dirname "$(dirname "$f")")")" proto "${f#proto/}"
done
for svc in auth/v1beta1/query bank/v1beta1/query staking/v1beta1/query distribution/v1beta1/query \
  slashing/v1beta1/query gov/v1/query gov/v1beta1/query consensus/v1/query upgrade/v1beta1/query \
  feegrant/v1beta1/query tx/v1beta1/service base/tendermint/v1beta1/query base/node/v1beta1/query; do
  gen "cosmos-$(echo "$svc" | tr / -)" "$SDK/proto" "cosmos/$svc.proto"
done
# x/nft lives in the SDK's contrib/ with its protos under nft/ but imported as cosmos/nft/.
mkdir -p "$out/inc/cosmos" && ln -s "$SDK/contrib/proto/nft" "$out/inc/cosmos/nft"
gen cosmos-nft "$out/inc" cosmos/nft/v1beta1/query.proto
go run ./internal/openapi/merge -out internal/openapi/openapi.json "$out"/*/*.swagger.json
echo "generated: internal/openapi/openapi.json"
