package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/farming/types"
)

func TestMsgUpdateParams(t *testing.T) {
	f := setup(t, testParams())
	update := func(authority string, p types.Params) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.UpdateParams(ctx, &types.MsgUpdateParams{Authority: authority, Params: p})
			return err
		}
	}
	p := testParams()
	p.MinDifficulty = 50
	p.InitialDifficulty = 50
	f.c.Fails(types.ErrInvalidAuthority, update(stranger, p))
	bad := p
	bad.ClaimWindow = 0
	f.c.Fails(types.ErrInvalidParams, update(f.gov, bad))
	f.c.OK(update(f.gov, p), &types.EventDifficultyChanged{}, &types.EventParamsUpdated{})
	require.Equal(t, uint64(50), f.state().Difficulty, "the difficulty is clamped into the new bounds")

	// The reward denom is fixed once something was minted.
	f.advance(int(p.ClaimWindow) + 2)
	other := p
	other.RewardDenom = "uother"
	f.c.Fails(types.ErrInvalidParams, update(f.gov, other))
}
