package plotscli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// parsePoolContractFlag reads --pool-contract: an on-chain pool contract id (decimal), turned
// into its 32-byte key with x/farming's PoolContractKey, or the 32-byte key itself in hex.
func parsePoolContractFlag(cmd *cobra.Command) (v [32]byte, ok bool, err error) {
	s, _ := cmd.Flags().GetString(FlagPoolContract)
	if s == "" || len(s) >= 64 {
		return parseHex32Flag(cmd, FlagPoolContract)
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil || id == 0 {
		return v, false, fmt.Errorf("--%s %q: want an on-chain pool contract id (1, 2, …) or a 32-byte hex key", FlagPoolContract, s)
	}
	return farmingtypes.PoolContractKey(id), true, nil
}
