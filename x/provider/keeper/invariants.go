package keeper

import (
	"context"
	"errors"
	"fmt"

	"github.com/guild-network/guild/x/internal/modkit"
	"github.com/guild-network/guild/x/provider/types"
)

// CheckInvariants checks the module's invariants, for tests after every step of a scenario: the
// exported state validates, and every index of nodes and offers holds exactly the entries its
// objects derive, checked in both directions (no entry missing for an object, none stale, a
// unique entry pointing at the object that derives it). It walks the whole store.
func (k Keeper) CheckInvariants(ctx context.Context) error {
	gs, err := k.ExportGenesis(ctx)
	if err != nil {
		return err
	}
	if err := gs.Validate(); err != nil {
		return err
	}
	eachNode := func(fn func(uint64, types.Node) error) error { return modkit.Each(ctx, k.nodes, fn) }
	eachOffer := func(fn func(uint64, types.Offer) error) error { return modkit.Each(ctx, k.offers, fn) }
	ni, oi := k.nodes.Indexes, k.offers.Indexes
	return errors.Join(
		wrapIndex("nodes", ni.Provider.Verify(ctx, eachNode)),
		wrapIndex("nodes", ni.Account.Verify(ctx, eachNode)),
		wrapIndex("offers", oi.Provider.Verify(ctx, eachOffer)),
		wrapIndex("offers", oi.Node.Verify(ctx, eachOffer)),
		wrapIndex("offers", oi.Available.Verify(ctx, eachOffer)),
	)
}

func wrapIndex(objects string, err error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", objects, err)
	}
	return nil
}
