package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestRegisterProvider(t *testing.T) {
	f := setup(t)
	f.at(42)
	attrs := []types.Attribute{{Key: "region", Value: "eu-west"}, {Key: "tier", Value: "gold"}}
	events := f.ok(func() error {
		_, err := f.msg.RegisterProvider(f.ctx, &types.MsgRegisterProvider{Creator: owner, Moniker: "acme", HostUri: "https://acme.example", Attributes: attrs})
		return err
	})
	require.Equal(t, []string{"guild.provider.v1.EventProviderRegistered"}, events)
	p := f.provider(owner)
	require.Equal(t, types.Provider{
		Address: owner, Owner: owner, Beneficiary: owner, Operator: owner, Moniker: "acme",
		HostUri: "https://acme.example", Attributes: attrs, RegisteredAt: startTime + 42,
	}, p)

	t.Run("already registered", func(t *testing.T) {
		f.fails(types.ErrProviderExists, func() error {
			_, err := f.msg.RegisterProvider(f.ctx, &types.MsgRegisterProvider{Creator: owner, Moniker: "again"})
			return err
		})
	})
	t.Run("more attributes than the parameter allows", func(t *testing.T) {
		params := types.DefaultParams()
		params.MaxAttributes = 1
		f.ok(func() error { return f.k.UpdateParams(f.ctx, f.authority, params) })
		f.fails(types.ErrTooManyAttributes, func() error {
			_, err := f.msg.RegisterProvider(f.ctx, &types.MsgRegisterProvider{Creator: stranger, Moniker: "s", Attributes: attrs})
			return err
		})
	})
	t.Run("stateless checks", func(t *testing.T) {
		f.fails(types.ErrInvalidAddress, func() error {
			_, err := f.msg.RegisterProvider(f.ctx, &types.MsgRegisterProvider{Creator: "guild1bad", Moniker: "s"})
			return err
		})
		f.fails(types.ErrInvalidMetadata, func() error {
			_, err := f.msg.RegisterProvider(f.ctx, &types.MsgRegisterProvider{Creator: stranger, Moniker: ""})
			return err
		})
		f.fails(types.ErrInvalidAttributes, func() error {
			_, err := f.msg.RegisterProvider(f.ctx, &types.MsgRegisterProvider{Creator: stranger, Moniker: "s",
				Attributes: []types.Attribute{{Key: "bad key"}}})
			return err
		})
	})
}
