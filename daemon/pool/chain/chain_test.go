package chain

import (
	"testing"

	abci "github.com/cometbft/cometbft/abci/types"
	"github.com/stretchr/testify/require"

	"github.com/guild-network/guild/daemon/pool/store"
)

func absorbedEv(id, target, amount string) abci.Event {
	return abci.Event{Type: absorbedEvent, Attributes: []abci.EventAttribute{
		{Key: "id", Value: `"` + id + `"`}, {Key: "target", Value: `"` + target + `"`}, {Key: "amount", Value: `"` + amount + `"`}}}
}

// absorptions keeps the pool's absorptions among a block's events, keyed by height, where
// (transaction index or "b" for the block's own events, as when a relative lock ends) and
// contract, and refuses a malformed one.
func TestAbsorptions(t *testing.T) {
	evs := []abci.Event{
		absorbedEv("2", "guild1pool", "700"),
		absorbedEv("3", "guild1other", "5"), // another target
		{Type: "transfer"},
		absorbedEv("4", "guild1pool", "1"),
	}
	got, err := absorptions(evs, "guild1pool", 12, "b")
	require.NoError(t, err)
	require.Equal(t, []store.Reward{
		{Key: "12/b/2", ContractID: 2, Amount: 700, Height: 12},
		{Key: "12/b/4", ContractID: 4, Amount: 1, Height: 12},
	}, got)
	got, err = absorptions(evs[:1], "guild1pool", 12, "0")
	require.NoError(t, err)
	require.Equal(t, "12/0/2", got[0].Key, "transaction keys are unchanged: height/tx/contract")
	for _, bad := range []abci.Event{absorbedEv("x", "guild1pool", "1"), absorbedEv("2", "guild1pool", "0"), absorbedEv("2", "guild1pool", "-3")} {
		_, err := absorptions([]abci.Event{bad}, "guild1pool", 1, "b")
		require.Error(t, err)
	}
}
