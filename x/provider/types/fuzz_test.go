package types_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/provider/types"
)

// The fuzz targets check that ValidateBasic never panics, whatever the message holds: first on
// messages decoded from arbitrary bytes (what a transaction can carry), then on messages built
// field by field from arbitrary values. Run them longer with
// `go test ./x/provider/types -run '^$' -fuzz FuzzMsgAddOffer -fuzztime 1m`.

func seedDecoded(f *testing.F, msgs ...interface{ Marshal() ([]byte, error) }) {
	for _, m := range msgs {
		bz, err := m.Marshal()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bz)
	}
	f.Add([]byte{})
	f.Add([]byte{0x2a, 0x03, 0x0a, 0x01, 0x78}) // a price with a one-byte denom and no amount
}

func FuzzMsgAddOfferDecoded(f *testing.F) {
	seedDecoded(f,
		&types.MsgAddOffer{Signer: addr(1), NodeId: 1, Kind: types.OFFER_KIND_VM, Resources: types.Resources{CpuMilli: 1}, Price: price("0.1"), Units: 1},
		&types.MsgAddOffer{Signer: "x", Price: sdk.DecCoin{Denom: "uusdc", Amount: sdkmath.LegacyNewDec(-3)}},
	)
	f.Fuzz(func(t *testing.T, bz []byte) {
		var m types.MsgAddOffer
		if m.Unmarshal(bz) != nil {
			return
		}
		_ = m.ValidateBasic()
	})
}

func FuzzMsgAddNodeDecoded(f *testing.F) {
	seedDecoded(f,
		&types.MsgAddNode{Signer: addr(1), Provider: addr(2), PubKey: pubKey(1), Capacity: types.Resources{Gpus: 1}, Bond: sdk.NewInt64Coin("ugld", 1)},
		&types.MsgAddNode{Bond: sdk.Coin{Denom: "ugld", Amount: sdkmath.NewInt(-1)}},
	)
	f.Fuzz(func(t *testing.T, bz []byte) {
		var m types.MsgAddNode
		if m.Unmarshal(bz) != nil {
			return
		}
		_ = m.ValidateBasic()
	})
}

func FuzzMsgAddOffer(f *testing.F) {
	f.Add(addr(1), uint64(1), int32(1), uint64(1000), uint64(0), uint64(0), uint64(0), "uusdc", "0.001", uint64(1), false)
	f.Add("", uint64(0), int32(-1), uint64(0), uint64(0), uint64(0), uint64(0), "", "", uint64(0), true)
	f.Add(addr(2), uint64(1<<63), int32(2), uint64(1<<63), uint64(1<<63), uint64(1<<63), uint64(1<<63), "a/b", "-1", uint64(1<<63), false)
	f.Fuzz(func(t *testing.T, signer string, node uint64, kind int32, cpu, mem, sto, gpu uint64, denom, amount string, units uint64, nilAmount bool) {
		p := sdk.DecCoin{Denom: denom}
		if !nilAmount {
			if d, err := sdkmath.LegacyNewDecFromStr(amount); err == nil {
				p.Amount = d
			}
		}
		m := types.MsgAddOffer{
			Signer: signer, NodeId: node, Kind: types.OfferKind(kind),
			Resources: types.Resources{CpuMilli: cpu, MemoryBytes: mem, StorageBytes: sto, Gpus: gpu},
			Price:     p, Units: units,
		}
		_ = m.ValidateBasic()
	})
}

func FuzzMsgAddNode(f *testing.F) {
	f.Add(addr(1), addr(2), pubKey(1), uint64(1000), uint64(0), uint64(0), uint64(0), "ugld", int64(0), false)
	f.Add("", "", []byte{}, uint64(0), uint64(0), uint64(0), uint64(0), "", int64(-1), true)
	f.Fuzz(func(t *testing.T, signer, provider string, pk []byte, cpu, mem, sto, gpu uint64, denom string, amount int64, nilAmount bool) {
		c := sdk.Coin{Denom: denom}
		if !nilAmount {
			c.Amount = sdkmath.NewInt(amount)
		}
		m := types.MsgAddNode{
			Signer: signer, Provider: provider, PubKey: pk,
			Capacity: types.Resources{CpuMilli: cpu, MemoryBytes: mem, StorageBytes: sto, Gpus: gpu},
			Bond:     c,
		}
		if err := m.ValidateBasic(); err == nil {
			if _, err := types.NodeAccount(pk); err != nil {
				t.Fatalf("accepted a bad key: %v", err)
			}
		}
	})
}
