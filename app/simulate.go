package app

import (
	"time"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// simulateLead is how far ahead of the last committed block a simulated transaction runs.
const simulateLead = time.Second

// simulateAsNextBlock wraps the ante handler so that a simulated transaction (`--gas auto`'s
// estimate) runs as the next block will run it: one height and simulateLead later than the
// last committed block, instead of at that block's own time. Work that depends on elapsed time
// then shows in the estimate. Without it, a lease claimed in the last block owed nothing at
// that block's time, so a `tx market cancel` sent right after `tx market claim` was estimated
// without its final payment (two bank transfers, ~53,000 gas) and ran out of gas in the block
// that did owe a second's rent. Only simulation is affected: CheckTx and block execution see
// the context unchanged.
func simulateAsNextBlock(next sdk.AnteHandler) sdk.AnteHandler {
	return func(ctx sdk.Context, tx sdk.Tx, simulate bool) (sdk.Context, error) {
		if simulate {
			t := ctx.BlockTime().Add(simulateLead)
			hi := ctx.HeaderInfo()
			hi.Time, hi.Height = t, ctx.BlockHeight()+1
			ctx = ctx.WithBlockTime(t).WithBlockHeight(ctx.BlockHeight() + 1).WithHeaderInfo(hi)
		}
		return next(ctx, tx, simulate)
	}
}
