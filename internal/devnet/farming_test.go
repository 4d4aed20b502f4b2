package devnet

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"

	"github.com/guild-network/guild/internal/edkey"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

func TestFarmingGenesisPatch(t *testing.T) {
	state := map[string]json.RawMessage{}
	require.NoError(t, FarmingGenesisPatch(state))
	var gs farmingtypes.GenesisState
	require.NoError(t, codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).UnmarshalJSON(state["farming"], &gs))
	require.NoError(t, gs.Validate())
	require.Equal(t, farmingtypes.DevnetParams(), gs.Params)
}

func TestDemoPlotKeysAndPlots(t *testing.T) {
	cdc := codec.NewProtoCodec(codectypes.NewInterfaceRegistry())
	kr := keyring.NewInMemory(cdc, edkey.KeyringOption())
	pubs, err := EnsurePlotKeys(kr)
	require.NoError(t, err)
	require.Len(t, pubs, DemoPlots)
	again, err := EnsurePlotKeys(kr)
	require.NoError(t, err)
	require.Equal(t, pubs, again, "keys come from fixed mnemonics and are reused")

	dir := t.TempDir()
	var log bytes.Buffer
	made, err := EnsureDemoPlots(context.Background(), dir, 1, pubs[:1], &log)
	require.NoError(t, err)
	require.Equal(t, 1, made)
	require.Contains(t, log.String(), "plotting 1/1 (k=18)   0%")
	require.True(t, strings.Contains(log.String(), "100%"))
	made, err = EnsureDemoPlots(context.Background(), dir, 1, pubs[:1], &log)
	require.NoError(t, err)
	require.Zero(t, made, "an existing plot is reused")
}
