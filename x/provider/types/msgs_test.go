package types_test

import (
	"strings"
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/provider/types"
)

func price(s string) sdk.DecCoin {
	return sdk.NewDecCoinFromDec("uusdc", sdkmath.LegacyMustNewDecFromStr(s))
}

func attrs(n int) []types.Attribute {
	out := make([]types.Attribute, n)
	for i := range out {
		out[i] = types.Attribute{Key: "k" + strings.Repeat("x", i%10) + string(rune('a'+i%26)) + string(rune('a'+i/26)), Value: "v"}
	}
	return out
}

type vb interface{ ValidateBasic() error }

func TestValidateBasic(t *testing.T) {
	a, b, c := addr(1), addr(2), addr(3)
	good := types.Resources{CpuMilli: 1000}
	bond := sdk.NewInt64Coin("ugld", 0)
	for _, tc := range []struct {
		name string
		msg  vb
		err  error
	}{
		// RegisterProvider
		{"register ok", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", HostUri: "https://acme.example:8443", Attributes: attrs(3)}, nil},
		{"register no host", &types.MsgRegisterProvider{Creator: a, Moniker: "acme"}, nil},
		{"register bad creator", &types.MsgRegisterProvider{Creator: "cosmos1xyz", Moniker: "acme"}, types.ErrInvalidAddress},
		{"register empty moniker", &types.MsgRegisterProvider{Creator: a, Moniker: "  "}, types.ErrInvalidMetadata},
		{"register long moniker", &types.MsgRegisterProvider{Creator: a, Moniker: strings.Repeat("m", 65)}, types.ErrInvalidMetadata},
		{"register control moniker", &types.MsgRegisterProvider{Creator: a, Moniker: "ac\x00me"}, types.ErrInvalidMetadata},
		{"register bad utf8 moniker", &types.MsgRegisterProvider{Creator: a, Moniker: "ac\xffme"}, types.ErrInvalidMetadata},
		{"register host with space", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", HostUri: "https://a b"}, types.ErrInvalidMetadata},
		{"register long host", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", HostUri: strings.Repeat("h", 257)}, types.ErrInvalidMetadata},
		{"register too many attributes", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", Attributes: attrs(65)}, types.ErrTooManyAttributes},
		{"register empty key", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", Attributes: []types.Attribute{{Key: "", Value: "x"}}}, types.ErrInvalidAttributes},
		{"register bad key", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", Attributes: []types.Attribute{{Key: "re gion", Value: "x"}}}, types.ErrInvalidAttributes},
		{"register long key", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", Attributes: []types.Attribute{{Key: strings.Repeat("k", 65)}}}, types.ErrInvalidAttributes},
		{"register long value", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", Attributes: []types.Attribute{{Key: "k", Value: strings.Repeat("v", 257)}}}, types.ErrInvalidAttributes},
		{"register control value", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", Attributes: []types.Attribute{{Key: "k", Value: "a\nb"}}}, types.ErrInvalidAttributes},
		{"register duplicate key", &types.MsgRegisterProvider{Creator: a, Moniker: "acme", Attributes: []types.Attribute{{Key: "k", Value: "1"}, {Key: "k", Value: "2"}}}, types.ErrInvalidAttributes},
		// UpdateProvider
		{"update ok", &types.MsgUpdateProvider{Signer: a, Provider: b, Moniker: "acme"}, nil},
		{"update bad signer", &types.MsgUpdateProvider{Signer: "", Provider: b, Moniker: "acme"}, types.ErrInvalidAddress},
		{"update bad provider", &types.MsgUpdateProvider{Signer: a, Provider: "x", Moniker: "acme"}, types.ErrInvalidAddress},
		{"update bad moniker", &types.MsgUpdateProvider{Signer: a, Provider: b}, types.ErrInvalidMetadata},
		// ProposeOwner
		{"propose ok", &types.MsgProposeOwner{Owner: a, Provider: b, NewOwner: c}, nil},
		{"propose cancel", &types.MsgProposeOwner{Owner: a, Provider: b}, nil},
		{"propose self", &types.MsgProposeOwner{Owner: a, Provider: b, NewOwner: a}, types.ErrInvalidAddress},
		{"propose bad new owner", &types.MsgProposeOwner{Owner: a, Provider: b, NewOwner: "nope"}, types.ErrInvalidAddress},
		{"propose bad owner", &types.MsgProposeOwner{Owner: "nope", Provider: b, NewOwner: c}, types.ErrInvalidAddress},
		// AcceptOwner, SetBeneficiary, SetOperator
		{"accept ok", &types.MsgAcceptOwner{NewOwner: a, Provider: b}, nil},
		{"accept bad", &types.MsgAcceptOwner{NewOwner: a}, types.ErrInvalidAddress},
		{"beneficiary ok", &types.MsgSetBeneficiary{Owner: a, Provider: b, Beneficiary: c}, nil},
		{"beneficiary bad", &types.MsgSetBeneficiary{Owner: a, Provider: b}, types.ErrInvalidAddress},
		{"operator ok", &types.MsgSetOperator{Owner: a, Provider: b, Operator: c}, nil},
		{"operator bad", &types.MsgSetOperator{Owner: a, Provider: b, Operator: "guild1"}, types.ErrInvalidAddress},
		// AddNode
		{"add node ok", &types.MsgAddNode{Signer: a, Provider: b, PubKey: pubKey(1), Capacity: good, Bond: bond}, nil},
		{"add node short key", &types.MsgAddNode{Signer: a, Provider: b, PubKey: pubKey(1)[:31], Capacity: good, Bond: bond}, types.ErrInvalidPubKey},
		{"add node long key", &types.MsgAddNode{Signer: a, Provider: b, PubKey: append(pubKey(1), 0), Capacity: good, Bond: bond}, types.ErrInvalidPubKey},
		{"add node no key", &types.MsgAddNode{Signer: a, Provider: b, Capacity: good, Bond: bond}, types.ErrInvalidPubKey},
		{"add node empty capacity", &types.MsgAddNode{Signer: a, Provider: b, PubKey: pubKey(1), Bond: bond}, types.ErrInvalidResources},
		{"add node nil bond", &types.MsgAddNode{Signer: a, Provider: b, PubKey: pubKey(1), Capacity: good}, types.ErrInvalidBond},
		{"add node negative bond", &types.MsgAddNode{Signer: a, Provider: b, PubKey: pubKey(1), Capacity: good, Bond: sdk.Coin{Denom: "ugld", Amount: sdkmath.NewInt(-1)}}, types.ErrInvalidBond},
		{"add node bad denom", &types.MsgAddNode{Signer: a, Provider: b, PubKey: pubKey(1), Capacity: good, Bond: sdk.Coin{Denom: "1x", Amount: sdkmath.NewInt(1)}}, types.ErrInvalidBond},
		{"add node bad provider", &types.MsgAddNode{Signer: a, PubKey: pubKey(1), Capacity: good, Bond: bond}, types.ErrInvalidAddress},
		// UpdateNode
		{"update node capacity", &types.MsgUpdateNode{Signer: a, NodeId: 1, Capacity: good}, nil},
		{"update node status", &types.MsgUpdateNode{Signer: a, NodeId: 1, Status: types.NODE_STATUS_STANDBY}, nil},
		{"update node nothing", &types.MsgUpdateNode{Signer: a, NodeId: 1}, types.ErrNoChange},
		{"update node bad status", &types.MsgUpdateNode{Signer: a, NodeId: 1, Status: 9}, types.ErrInvalidStatus},
		{"update node id 0", &types.MsgUpdateNode{Signer: a, Capacity: good}, types.ErrInvalidID},
		// RemoveNode, Heartbeat
		{"remove node ok", &types.MsgRemoveNode{Signer: a, NodeId: 3}, nil},
		{"remove node id 0", &types.MsgRemoveNode{Signer: a}, types.ErrInvalidID},
		{"heartbeat ok", &types.MsgHeartbeat{NodeAccount: a, NodeId: 3}, nil},
		{"heartbeat bad account", &types.MsgHeartbeat{NodeAccount: "x", NodeId: 3}, types.ErrInvalidAddress},
		{"heartbeat id 0", &types.MsgHeartbeat{NodeAccount: a}, types.ErrInvalidID},
		// DepositBond, WithdrawBond
		{"deposit ok", &types.MsgDepositBond{Sender: a, NodeId: 1, Amount: sdk.NewInt64Coin("ugld", 5)}, nil},
		{"deposit zero", &types.MsgDepositBond{Sender: a, NodeId: 1, Amount: sdk.NewInt64Coin("ugld", 0)}, types.ErrInvalidAmount},
		{"deposit negative", &types.MsgDepositBond{Sender: a, NodeId: 1, Amount: sdk.Coin{Denom: "ugld", Amount: sdkmath.NewInt(-5)}}, types.ErrInvalidAmount},
		{"deposit nil", &types.MsgDepositBond{Sender: a, NodeId: 1}, types.ErrInvalidAmount},
		{"deposit id 0", &types.MsgDepositBond{Sender: a, Amount: sdk.NewInt64Coin("ugld", 5)}, types.ErrInvalidID},
		{"withdraw ok", &types.MsgWithdrawBond{Owner: a, NodeId: 1, Amount: sdk.NewInt64Coin("ugld", 5)}, nil},
		{"withdraw zero", &types.MsgWithdrawBond{Owner: a, NodeId: 1, Amount: sdk.NewInt64Coin("ugld", 0)}, types.ErrInvalidAmount},
		{"withdraw bad owner", &types.MsgWithdrawBond{Owner: "", NodeId: 1, Amount: sdk.NewInt64Coin("ugld", 5)}, types.ErrInvalidAddress},
		// AddOffer
		{"add offer ok", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: types.OFFER_KIND_VM, Resources: good, Price: price("0.001"), Units: 2}, nil},
		{"add offer volume", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: types.OFFER_KIND_VOLUME, Resources: types.Resources{StorageBytes: 1 << 30}, Price: price("1"), Units: 1}, nil},
		{"add offer no kind", &types.MsgAddOffer{Signer: a, NodeId: 1, Resources: good, Price: price("0.001"), Units: 2}, types.ErrInvalidOfferKind},
		{"add offer bad kind", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: 7, Resources: good, Price: price("0.001"), Units: 2}, types.ErrInvalidOfferKind},
		{"add offer empty unit", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: types.OFFER_KIND_VM, Price: price("0.001"), Units: 2}, types.ErrInvalidResources},
		{"add offer zero price", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: types.OFFER_KIND_VM, Resources: good, Price: price("0"), Units: 2}, types.ErrInvalidPrice},
		{"add offer negative price", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: types.OFFER_KIND_VM, Resources: good, Price: sdk.DecCoin{Denom: "uusdc", Amount: sdkmath.LegacyNewDec(-1)}, Units: 2}, types.ErrInvalidPrice},
		{"add offer nil price", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: types.OFFER_KIND_VM, Resources: good, Price: sdk.DecCoin{Denom: "uusdc"}, Units: 2}, types.ErrInvalidPrice},
		{"add offer bad denom", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: types.OFFER_KIND_VM, Resources: good, Price: sdk.DecCoin{Denom: "u", Amount: sdkmath.LegacyOneDec()}, Units: 2}, types.ErrInvalidPrice},
		{"add offer zero units", &types.MsgAddOffer{Signer: a, NodeId: 1, Kind: types.OFFER_KIND_VM, Resources: good, Price: price("0.001")}, types.ErrInvalidUnits},
		{"add offer id 0", &types.MsgAddOffer{Signer: a, Kind: types.OFFER_KIND_VM, Resources: good, Price: price("0.001"), Units: 1}, types.ErrInvalidID},
		// UpdateOffer, RemoveOffer
		{"update offer ok", &types.MsgUpdateOffer{Signer: a, OfferId: 1, Price: price("0.5"), UnitsTotal: 1}, nil},
		{"update offer zero units", &types.MsgUpdateOffer{Signer: a, OfferId: 1, Price: price("0.5")}, types.ErrInvalidUnits},
		{"update offer bad price", &types.MsgUpdateOffer{Signer: a, OfferId: 1, UnitsTotal: 1}, types.ErrInvalidPrice},
		{"update offer id 0", &types.MsgUpdateOffer{Signer: a, Price: price("0.5"), UnitsTotal: 1}, types.ErrInvalidID},
		{"remove offer ok", &types.MsgRemoveOffer{Signer: a, OfferId: 1}, nil},
		{"remove offer id 0", &types.MsgRemoveOffer{Signer: a}, types.ErrInvalidID},
		// UpdateParams
		{"params ok", &types.MsgUpdateParams{Authority: a, Params: types.DefaultParams()}, nil},
		{"params bad authority", &types.MsgUpdateParams{Authority: "gov", Params: types.DefaultParams()}, types.ErrInvalidAddress},
		{"params invalid", &types.MsgUpdateParams{Authority: a}, types.ErrInvalidParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.msg.ValidateBasic()
			if tc.err == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.err)
			}
		})
	}
}

func TestNodeAccount(t *testing.T) {
	acc, err := types.NodeAccount(pubKey(7))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(acc, "guild1"))
	again, err := types.NodeAccount(pubKey(7))
	require.NoError(t, err)
	require.Equal(t, acc, again)
	other, err := types.NodeAccount(pubKey(8))
	require.NoError(t, err)
	require.NotEqual(t, acc, other)
	for _, n := range []int{0, 31, 33, 64} {
		_, err := types.NodeAccount(make([]byte, n))
		require.ErrorIs(t, err, types.ErrInvalidPubKey)
	}
}
