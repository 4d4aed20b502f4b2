package integration

import (
	"testing"

	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	markettypes "github.com/guild-network/guild/x/market/types"
)

// validateBasicMsg is a message type T whose pointer decodes from protobuf and checks itself.
type validateBasicMsg[T any] interface {
	*T
	proto.Message
	sdk.HasValidateBasic
}

// knownUnregistered lists messages whose ValidateBasic may still return an error that ABCI
// reports as the internal code 1. There are none: an entry must name the issue that removes it.
var knownUnregistered = map[string]string{}

// fuzzValidateBasic decodes arbitrary bytes as a message and requires that ValidateBasic never
// panics, that a refusal is a registered error (a code an ABCI client can read, not the
// "internal" catch-all), and that the verdict survives a re-encoding round trip.
func fuzzValidateBasic[T any, P validateBasicMsg[T]](f *testing.F, seeds ...P) {
	for _, s := range seeds {
		bz, err := proto.Marshal(s)
		require.NoError(f, err)
		f.Add(bz)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, bz []byte) {
		var m T
		if proto.Unmarshal(bz, P(&m)) != nil {
			return
		}
		err := P(&m).ValidateBasic()
		if why, known := knownUnregistered[proto.MessageName(P(&m))]; known && err != nil {
			t.Logf("known exception: %s", why)
		} else if err != nil {
			codespace, code, _ := errorsmod.ABCIInfo(err, false)
			require.NotEqual(t, errorsmod.UndefinedCodespace, codespace, "unregistered error from ValidateBasic: %v", err)
			require.NotZero(t, code)
		}
		again, merr := proto.Marshal(P(&m))
		require.NoError(t, merr)
		var m2 T
		require.NoError(t, proto.Unmarshal(again, P(&m2)))
		err2 := P(&m2).ValidateBasic()
		require.Equal(t, err == nil, err2 == nil, "verdict changed by a round trip: %v / %v", err, err2)
	})
}

// Seed values. Addresses are bech32 strings with a fixed prefix so that no package-level
// address encoding runs before the app sets Guild's prefixes (the SDK caches encodings).
const (
	fuzzTenant = "guild1ve6h573dw3jkuctwwskkzerywfjhxued0qttpe"
	fuzzNode   = "guild1ve6h573ddehkgefdv93kxmm4de6z6vp3qnu5s8"
)

var (
	fuzzCoin = sdk.NewInt64Coin(usdc, 1000)
	fuzzHash = make([]byte, 32)
)

func FuzzMsgDeposit(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgDeposit{Tenant: fuzzTenant, Amount: fuzzCoin}, &markettypes.MsgDeposit{Tenant: "x"})
}

func FuzzMsgWithdraw(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgWithdraw{Tenant: fuzzTenant, Amount: fuzzCoin})
}

func FuzzMsgBook(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgBook{Tenant: fuzzTenant, OfferId: 1, Units: 2, DeploymentHash: fuzzHash, DeploymentData: "{}", MaxPrice: "0.5"},
		&markettypes.MsgBook{Tenant: fuzzTenant, OfferId: 1, Units: 2, DeploymentHash: fuzzHash, MaxPrice: "-1"})
}

func FuzzMsgReportDeployment(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgReportDeployment{NodeAccount: fuzzNode, LeaseId: 1, Result: markettypes.DEPLOYMENT_RESULT_DEPLOYED, Info: "vm-1"},
		&markettypes.MsgReportDeployment{NodeAccount: fuzzNode, LeaseId: 1, Result: 9})
}

func FuzzMsgUpdateDeployment(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgUpdateDeployment{Tenant: fuzzTenant, LeaseId: 3, DeploymentHash: fuzzHash, DeploymentData: "{}"})
}

func FuzzMsgClaim(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgClaim{Sender: fuzzTenant, LeaseId: 3})
}

func FuzzMsgClaimProvider(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgClaimProvider{Sender: fuzzTenant, Provider: fuzzNode, StartAfter: 2, Limit: 10})
}

func FuzzMsgCancelLease(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgCancelLease{Tenant: fuzzTenant, LeaseId: 1, Reason: markettypes.ReasonTenantDone},
		&markettypes.MsgCancelLease{Tenant: fuzzTenant, LeaseId: 1, Reason: markettypes.ReasonProviderMisbehaviour, Report: "down"})
}

func FuzzMsgCloseLease(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgCloseLease{Signer: fuzzNode, LeaseId: 1})
}

func FuzzMsgGovCloseLease(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgGovCloseLease{Authority: fuzzTenant, LeaseId: 1, Note: "ruling"})
}

func FuzzMsgUpdateParams(f *testing.F) {
	fuzzValidateBasic(f, &markettypes.MsgUpdateParams{Authority: fuzzTenant, Params: markettypes.DefaultParams()},
		&markettypes.MsgUpdateParams{Authority: fuzzTenant})
}
