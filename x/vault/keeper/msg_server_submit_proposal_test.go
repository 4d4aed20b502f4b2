package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/vault/types"
)

func TestMsgSubmitProposal(t *testing.T) {
	f := setup(t)
	v := f.vault(defaultTerms())
	p := f.deposit(investor(1), v.Id, 5_000_000)
	strategy := types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "bond every node", StrategyVersion: 1}
	submit := func(who string, c types.ProposalContent) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.SubmitProposal(ctx, &types.MsgSubmitProposal{Proposer: who, PositionId: p.Id, Content: c})
			return err
		}
	}
	// ValidateBasic: no kind.
	f.check.Fails(types.ErrInvalidProposal, submit(investor(1), types.ProposalContent{}))
	// Keeper: not the token's owner.
	f.check.Fails(types.ErrNotPositionOwner, submit(stranger(), strategy))

	var res *types.MsgSubmitProposalResponse
	f.check.OK(func(ctx sdk.Context) error {
		var err error
		res, err = f.msg.SubmitProposal(ctx, &types.MsgSubmitProposal{Proposer: investor(1), PositionId: p.Id, Content: strategy})
		return err
	}, &types.EventProposalSubmitted{})
	prop, err := f.k.GetProposal(f.ctx, res.ProposalId)
	require.NoError(t, err)
	require.Equal(t, v.Id, prop.VaultId)
	require.Equal(t, investor(1), prop.Proposer)
	require.Equal(t, p.Id, prop.ProposerPosition)
	require.Equal(t, types.ProposalStatus_PROPOSAL_STATUS_VOTING, prop.Status)
	require.Equal(t, f.ctx.BlockTime().Unix()+defaultGov().VotingPeriod, prop.End)
	require.Equal(t, p.Shares.String(), prop.TotalShares.String())
	require.Equal(t, strategy.Kind, prop.Content.Kind)
	require.Equal(t, strategy.Strategy, prop.Content.Strategy)
	require.Equal(t, strategy.StrategyVersion, prop.Content.StrategyVersion)
	require.Equal(t, uint32(1), f.getVault(v.Id).ActiveProposals)
}
