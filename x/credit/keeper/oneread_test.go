package keeper_test

import (
	"context"
	"testing"

	"cosmossdk.io/collections"
	corestore "cosmossdk.io/core/store"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	storetypes "github.com/cosmos/cosmos-sdk/store/v2/types"
	moduletestutil "github.com/cosmos/cosmos-sdk/types/module/testutil"
	"github.com/cosmos/cosmos-sdk/x/auth"
	"github.com/cosmos/cosmos-sdk/x/bank"

	"github.com/guild-network/guild/x/credit/keeper"
	"github.com/guild-network/guild/x/credit/types"
	marketkeeper "github.com/guild-network/guild/x/market/keeper"
)

// countingService opens the module's store through a counter of the reads of each key and of
// the writes and deletes under each prefix byte.
type countingService struct {
	corestore.KVStoreService
	gets   map[string]int
	writes map[byte]int
}

func (c *countingService) OpenKVStore(ctx context.Context) corestore.KVStore {
	return countingStore{c.KVStoreService.OpenKVStore(ctx), c}
}

type countingStore struct {
	corestore.KVStore
	c *countingService
}

func (s countingStore) Get(key []byte) ([]byte, error) {
	s.c.gets[string(key)]++
	return s.KVStore.Get(key)
}

func (s countingStore) Set(key, value []byte) error {
	s.c.writes[key[0]]++
	return s.KVStore.Set(key, value)
}

func (s countingStore) Delete(key []byte) error {
	s.c.writes[key[0]]++
	return s.KVStore.Delete(key)
}

// TestAgentWriteReadsTheOldAgentOnce: writing an agent reads (and decodes) the old agent once
// for all of the map's indexes (modkit.OneRead), and a write that keeps the owner leaves the
// by-owner index alone (modkit.NewIndex); a new owner moves the entry (one delete, one set).
func TestAgentWriteReadsTheOldAgentOnce(t *testing.T) {
	f := newFixture(t)
	id, _ := f.agentWithProvider(10_000_000)
	cs := &countingService{KVStoreService: runtime.NewKVStoreService(f.key.(*storetypes.KVStoreKey))}
	enc := moduletestutil.MakeTestEncodingConfig(auth.AppModuleBasic{}, bank.AppModuleBasic{})
	k := keeper.NewKeeper(enc.Codec, cs, f.gov, f.bank, distr{f.bank}, f.prov, marketkeeper.NewProviderMarket(f.mk))
	a, err := f.k.GetAgent(f.ctx, id)
	require.NoError(t, err)
	agentKey, err := collections.EncodeKeyWithPrefix(types.AgentsPrefix, collections.Uint64Key, id)
	require.NoError(t, err)
	write := func(a types.Agent) {
		cs.gets, cs.writes = map[string]int{}, map[byte]int{}
		require.NoError(t, k.SetAgentForTest(f.ctx, a))
	}

	a.State = types.AGENT_STATE_ADMINISTRATION
	write(a)
	require.Equal(t, 1, cs.gets[string(agentKey)], "the old agent is read once")
	require.Equal(t, 1, cs.writes[types.AgentsPrefix[0]], "the agent itself")
	require.Zero(t, cs.writes[types.AgentsByOwnerPrefix[0]], "same owner: the index is left alone")

	a.Owner = addr("other")
	write(a)
	require.Equal(t, 1, cs.gets[string(agentKey)])
	require.Equal(t, 2, cs.writes[types.AgentsByOwnerPrefix[0]], "new owner: old entry deleted, new one set")
	res, err := f.q.Agents(f.ctx, &types.QueryAgentsRequest{Owner: addr("other")})
	require.NoError(t, err)
	require.Len(t, res.Agents, 1)
	require.Equal(t, id, res.Agents[0].Id)
	res, err = f.q.Agents(f.ctx, &types.QueryAgentsRequest{Owner: addr("owner")})
	require.NoError(t, err)
	require.Empty(t, res.Agents)
	require.NoError(t, f.k.CheckInvariants(f.ctx))
}
