package upgrades

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAllRefusesEmptyAndDuplicateNames(t *testing.T) {
	saved := released
	t.Cleanup(func() { released = saved })

	released = append(append([]Upgrade{}, saved...), Upgrade{Name: "v9"})
	all, err := All()
	require.NoError(t, err)
	u, ok := Find(all, "v9")
	require.True(t, ok)
	require.Equal(t, "v9", u.Name)
	_, ok = Find(all, "nope")
	require.False(t, ok)

	released = append(append([]Upgrade{}, saved...), Upgrade{Name: "v9"}, Upgrade{Name: "v9"})
	_, err = All()
	require.Error(t, err)

	released = append(append([]Upgrade{}, saved...), Upgrade{})
	_, err = All()
	require.Error(t, err)
}
