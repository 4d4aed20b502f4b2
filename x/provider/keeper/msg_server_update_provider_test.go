package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/x/provider/types"
)

func TestUpdateProvider(t *testing.T) {
	f := setup(t)
	f.register()
	update := func(signer, moniker string, attrs ...types.Attribute) func() error {
		return func() error {
			_, err := f.msg.UpdateProvider(f.ctx, &types.MsgUpdateProvider{Signer: signer, Provider: owner, Moniker: moniker, HostUri: "https://new.example", Attributes: attrs})
			return err
		}
	}
	events := f.ok(update(owner, "acme2", types.Attribute{Key: "region", Value: "us"}))
	require.Equal(t, []string{"guild.provider.v1.EventProviderUpdated"}, events)
	p := f.provider(owner)
	require.Equal(t, "acme2", p.Moniker)
	require.Equal(t, "https://new.example", p.HostUri)
	require.Equal(t, []types.Attribute{{Key: "region", Value: "us"}}, p.Attributes)

	// The operator may update too; attributes are replaced, not merged.
	f.ok(func() error { return f.k.SetOperator(f.ctx, owner, owner, operator) })
	f.ok(update(operator, "acme3"))
	p = f.provider(owner)
	require.Equal(t, "acme3", p.Moniker)
	require.Empty(t, p.Attributes)
	require.Equal(t, owner, p.Owner, "updating metadata does not touch the roles")

	f.fails(types.ErrNotController, update(stranger, "x"))
	f.fails(types.ErrInvalidMetadata, update(owner, ""))
	f.fails(types.ErrProviderNotFound, func() error {
		_, err := f.msg.UpdateProvider(f.ctx, &types.MsgUpdateProvider{Signer: stranger, Provider: stranger, Moniker: "x"})
		return err
	})
	many := make([]types.Attribute, 17)
	for i := range many {
		many[i] = types.Attribute{Key: string(rune('a' + i))}
	}
	f.fails(types.ErrTooManyAttributes, update(owner, "x", many...))
}
