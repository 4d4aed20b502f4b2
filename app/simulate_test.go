package app

import (
	"testing"
	"time"

	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

func TestSimulateAsNextBlock(t *testing.T) {
	at := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	var seen sdk.Context
	h := simulateAsNextBlock(func(ctx sdk.Context, _ sdk.Tx, _ bool) (sdk.Context, error) {
		seen = ctx
		return ctx, nil
	})
	base := sdk.Context{}.WithBlockHeader(cmtproto.Header{Height: 58, Time: at})

	_, err := h(base, nil, true)
	require.NoError(t, err)
	require.Equal(t, at.Add(simulateLead), seen.BlockTime(), "simulation runs one lead later")
	require.Equal(t, int64(59), seen.BlockHeight())
	require.Equal(t, at.Add(simulateLead), seen.HeaderInfo().Time)
	require.Equal(t, int64(59), seen.HeaderInfo().Height)

	_, err = h(base, nil, false)
	require.NoError(t, err)
	require.Equal(t, at, seen.BlockTime(), "CheckTx and blocks see the context unchanged")
	require.Equal(t, int64(58), seen.BlockHeight())
}
