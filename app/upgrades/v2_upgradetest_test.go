//go:build upgradetest

package upgrades

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestV2Registered(t *testing.T) {
	all, err := All()
	require.NoError(t, err)
	u, ok := Find(all, V2Name)
	require.True(t, ok)
	require.Empty(t, u.StoreUpgrades.Added, "v2 adds no store")
	require.NotNil(t, u.Handler)
}
