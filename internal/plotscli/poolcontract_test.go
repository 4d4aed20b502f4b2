package plotscli

import (
	"encoding/hex"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

func TestPoolContractFlagTakesTheOnChainID(t *testing.T) {
	parse := func(v string) ([32]byte, bool, error) {
		cmd := &cobra.Command{}
		cmd.Flags().String(FlagPoolContract, "", "")
		require.NoError(t, cmd.Flags().Set(FlagPoolContract, v))
		return parsePoolContractFlag(cmd)
	}
	got, ok, err := parse("7")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, farmingtypes.PoolContractKey(7), got)
	key := farmingtypes.PoolContractKey(3)
	got, ok, err = parse(hex.EncodeToString(key[:]))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, key, got)
	for _, bad := range []string{"0", "-1", "abc", "12345678901234567890123"} {
		_, _, err := parse(bad)
		require.Error(t, err, bad)
	}
}
