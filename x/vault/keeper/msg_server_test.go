package keeper_test

import (
	"testing"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/guild-network/guild/x/vault/types"
)

// TestMsgServer runs every handler once through its stateless check and once to success, so
// each thin handler is covered; the keeper tests cover the rules.
func TestMsgServer(t *testing.T) {
	f := setup(t)
	v, err := f.k.CreateVault(f.ctx, owner(), owner(), defaultTerms(), defaultGov())
	require.NoError(t, err)
	require.NoError(t, f.prov.ProposeOwner(f.ctx, owner(), owner(), v.Account))
	bad := "not-an-address"
	type call struct {
		name string
		bad  func(sdk.Context) error
		good func(sdk.Context) error
	}
	var pos, prop uint64
	calls := []call{
		{"accept custody",
			func(ctx sdk.Context) error {
				_, err := f.msg.AcceptCustody(ctx, &types.MsgAcceptCustody{Operator: bad, VaultId: v.Id})
				return err
			},
			func(ctx sdk.Context) error {
				_, err := f.msg.AcceptCustody(ctx, &types.MsgAcceptCustody{Operator: owner(), VaultId: v.Id})
				return err
			}},
		{"deposit",
			func(ctx sdk.Context) error {
				_, err := f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: investor(1), VaultId: 0, Amount: sdk.NewInt64Coin("ugld", 1)})
				return err
			},
			func(ctx sdk.Context) error {
				res, err := f.msg.Deposit(ctx, &types.MsgDeposit{Depositor: investor(1), VaultId: v.Id, Amount: sdk.NewInt64Coin("ugld", 5_000_000)})
				if err == nil {
					pos = res.PositionId
				}
				return err
			}},
		{"harvest",
			func(ctx sdk.Context) error {
				_, err := f.msg.Harvest(ctx, &types.MsgHarvest{Sender: bad, VaultId: v.Id})
				return err
			},
			func(ctx sdk.Context) error {
				f.pay(v, sdk.NewInt64Coin("uusdc", 1000))
				_, err := f.msg.Harvest(ctx, &types.MsgHarvest{Sender: stranger(), VaultId: v.Id, ClaimMarket: true})
				return err
			}},
		{"claim",
			func(ctx sdk.Context) error {
				_, err := f.msg.Claim(ctx, &types.MsgClaim{Owner: bad, PositionId: pos})
				return err
			},
			func(ctx sdk.Context) error {
				_, err := f.msg.Claim(ctx, &types.MsgClaim{Owner: investor(1), PositionId: pos})
				return err
			}},
		{"pledge",
			func(ctx sdk.Context) error {
				_, err := f.msg.Pledge(ctx, &types.MsgPledge{Operator: owner(), VaultId: v.Id, NodeId: 0, Amount: sdk.NewInt64Coin("ugld", 1)})
				return err
			},
			func(ctx sdk.Context) error {
				_, err := f.msg.Pledge(ctx, &types.MsgPledge{Operator: owner(), VaultId: v.Id, NodeId: f.nodeID, Amount: sdk.NewInt64Coin("ugld", 1_000_000)})
				return err
			}},
		{"unpledge",
			func(ctx sdk.Context) error {
				_, err := f.msg.Unpledge(ctx, &types.MsgUnpledge{Operator: owner(), VaultId: v.Id, NodeId: f.nodeID, Amount: sdk.NewInt64Coin("uusdc", 1)})
				return err
			},
			func(ctx sdk.Context) error {
				_, err := f.msg.Unpledge(ctx, &types.MsgUnpledge{Operator: owner(), VaultId: v.Id, NodeId: f.nodeID, Amount: sdk.NewInt64Coin("ugld", 1_000_000)})
				return err
			}},
		{"submit proposal",
			func(ctx sdk.Context) error {
				_, err := f.msg.SubmitProposal(ctx, &types.MsgSubmitProposal{Proposer: investor(1), PositionId: pos})
				return err
			},
			func(ctx sdk.Context) error {
				res, err := f.msg.SubmitProposal(ctx, &types.MsgSubmitProposal{Proposer: investor(1), PositionId: pos,
					Content: types.ProposalContent{Kind: types.ProposalKind_PROPOSAL_KIND_SET_STRATEGY, Strategy: "s", StrategyVersion: 1}})
				if err == nil {
					prop = res.ProposalId
				}
				return err
			}},
		{"vote",
			func(ctx sdk.Context) error {
				_, err := f.msg.Vote(ctx, &types.MsgVote{Voter: investor(1), ProposalId: 0, PositionId: pos})
				return err
			},
			func(ctx sdk.Context) error {
				_, err := f.msg.Vote(ctx, &types.MsgVote{Voter: investor(1), ProposalId: prop, PositionId: pos, Yes: true})
				return err
			}},
		{"exit",
			func(ctx sdk.Context) error {
				_, err := f.msg.Exit(ctx, &types.MsgExit{Owner: investor(1), PositionId: pos, Shares: sdkmath.NewInt(-1)})
				return err
			},
			func(ctx sdk.Context) error {
				_, err := f.msg.Exit(ctx, &types.MsgExit{Owner: investor(1), PositionId: pos, Shares: sdkmath.NewInt(1_000_000)})
				return err
			}},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			f.check.Fails(errAny, func(ctx sdk.Context) error {
				err := c.bad(ctx)
				require.Error(t, err)
				return errAny.Wrap(err.Error())
			})
			f.check.OK(c.good)
		})
	}
	require.ErrorIs(t, (&types.MsgCreateVault{Operator: bad, Provider: owner()}).ValidateBasic(), sdkerrors.ErrInvalidAddress)
}

// errAny stands for "any refusal" where the handler's own error varies by message.
var errAny = sdkerrors.ErrInvalidRequest
