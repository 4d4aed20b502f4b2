package driver

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	providertypes "github.com/guild-network/guild/x/provider/types"
)

func TestSelect(t *testing.T) {
	for _, tc := range []struct {
		data string
		kind providertypes.OfferKind
		want string
		err  error
	}{
		{"", providertypes.OFFER_KIND_VOLUME, Volume, nil},
		{"", providertypes.OFFER_KIND_VM, Process, nil},
		{`{"fs":"ext4"}`, providertypes.OFFER_KIND_VOLUME, Volume, nil},
		{`{"driver":"process","command":["true"]}`, providertypes.OFFER_KIND_VOLUME, Process, nil},
		{`{"driver":"container"}`, providertypes.OFFER_KIND_VM, "container", nil},
		{`nginx`, providertypes.OFFER_KIND_VM, "", ErrInvalidSpec},
		{`[1,2]`, providertypes.OFFER_KIND_VM, "", ErrInvalidSpec},
		{"", providertypes.OFFER_KIND_UNSPECIFIED, "", ErrInvalidSpec},
	} {
		got, err := Select(tc.data, tc.kind)
		if tc.err != nil {
			require.ErrorIs(t, err, tc.err, tc.data)
			continue
		}
		require.NoError(t, err, tc.data)
		require.Equal(t, tc.want, got, tc.data)
	}
}

func TestDecodeIsStrict(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	require.NoError(t, Decode(`{"a":1}`, &v))
	require.Equal(t, 1, v.A)
	require.NoError(t, Decode("  ", &v), "empty data keeps defaults")
	require.ErrorIs(t, Decode(`{"b":1}`, &v), ErrInvalidSpec)
	require.ErrorIs(t, Decode(`{"a":1} {"a":2}`, &v), ErrInvalidSpec)
	require.ErrorIs(t, Decode(`{"a":"x"}`, &v), ErrInvalidSpec)
}

func TestPermanent(t *testing.T) {
	for _, err := range []error{ErrInvalidSpec, ErrNoCapacity, ErrStartFailed, ErrUnknownDriver} {
		require.True(t, Permanent(fmt.Errorf("lease 1: %w", err)))
	}
	require.False(t, Permanent(errors.New("disk hiccup")))
}

func TestScaleSaturates(t *testing.T) {
	r := Scale(providertypes.Resources{CpuMilli: 1000, StorageBytes: 1 << 30}, 3)
	require.EqualValues(t, 3000, r.CpuMilli)
	require.EqualValues(t, 3<<30, r.StorageBytes)
	require.Equal(t, ^uint64(0), Scale(providertypes.Resources{StorageBytes: 1 << 40}, 1<<40).StorageBytes)
}
