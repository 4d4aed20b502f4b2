package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/farming/types"
)

func TestMsgAbsorb(t *testing.T) {
	f := setup(t, testParams())
	f.createContracts()
	absorb := func(target string) func(sdk.Context) error {
		return func(ctx sdk.Context) error {
			_, err := f.msg.Absorb(ctx, &types.MsgAbsorb{Signer: stranger, PoolContractId: 1, Target: target})
			return err
		}
	}
	f.c.Fails(types.ErrNothingToAbsorb, absorb(farmerA))
	f.win(plots[0], farmerA)
	bal := f.contract(1).Balance
	f.c.Fails(types.ErrNotPoolTarget, absorb(stranger))
	f.c.Fails(types.ErrPoolContractNotFound, func(ctx sdk.Context) error {
		_, err := f.msg.Absorb(ctx, &types.MsgAbsorb{Signer: stranger, PoolContractId: 5, Target: farmerA})
		return err
	})
	before := f.bank.balance(farmerA)
	f.c.OK(absorb(farmerA), &types.EventAbsorbed{})
	require.Equal(t, before.Add(bal).String(), f.bank.balance(farmerA).String())
	require.Equal(t, bal.String(), f.contract(1).TotalAbsorbed.String())
}
