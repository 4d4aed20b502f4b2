package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	vaulttypes "github.com/guild-network/guild/x/vault/types"
)

// TestVaultAccountsReceivePlainSends: each vault's derived account is not a registered module
// account, so market payouts and any other plain bank send reach it; the (empty) vault module
// account itself is blocked like every module account.
func TestVaultAccountsReceivePlainSends(t *testing.T) {
	blocked := blockedAddresses()
	for _, id := range []uint64{1, 2, 1 << 40} {
		addr := vaulttypes.VaultAddress(id).String()
		require.False(t, blocked[addr], "vault %d account %s is blocked", id, addr)
		_, registered := moduleAccountPermissions()[addr]
		require.False(t, registered)
	}
	require.True(t, blocked[authtypes.NewModuleAddress(vaulttypes.ModuleName).String()])
	require.NotEqual(t, authtypes.NewModuleAddress(vaulttypes.ModuleName), vaulttypes.VaultAddress(1))
}
