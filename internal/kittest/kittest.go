// Package kittest holds the one pair of assertions every Guild keeper and app test uses: a call
// "succeeds, the invariants hold, and it emitted these events", and a call "fails with this error
// and changes nothing" — no state, no balance, no event. It lives outside x/ so that the app-level
// suites (tests/integration) use it too; x/internal/modkit/kittest forwards to it for the
// modules' keeper tests.
package kittest

import (
	"fmt"
	"testing"

	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Checker binds the assertions to a test fixture.
type Checker struct {
	T testing.TB
	// Ctx points at the fixture's context; each call gets a fresh event manager on it.
	Ctx *sdk.Context
	// Snapshot returns everything a refused call must leave unchanged: typically the module's
	// exported genesis (every collection, index and queue) and the balances of every account
	// the test knows. It is compared with require.Equal.
	Snapshot func() any
	// Invariants checks the module's (or the app's) invariants; nil means none.
	Invariants func() error
}

// OK runs fn on the fixture's context, requires success and the invariants, and requires that
// the events it emitted include want (typed event names or proto messages), in that order. It
// returns the emitted events' types.
func (c Checker) OK(fn func(ctx sdk.Context) error, want ...any) []string {
	c.T.Helper()
	em := sdk.NewEventManager()
	*c.Ctx = c.Ctx.WithEventManager(em)
	require.NoError(c.T, fn(*c.Ctx))
	if c.Invariants != nil {
		require.NoError(c.T, c.Invariants(), "invariants after a successful call")
	}
	got := EventTypes(em)
	RequireSubsequence(c.T, got, want...)
	return got
}

// Fails runs fn on the fixture's context and requires that it fails with want (errors.Is) and
// changes nothing: the same snapshot, and no event.
func (c Checker) Fails(want error, fn func(ctx sdk.Context) error) {
	c.T.Helper()
	var before any
	if c.Snapshot != nil {
		before = c.Snapshot()
	}
	em := sdk.NewEventManager()
	*c.Ctx = c.Ctx.WithEventManager(em)
	err := fn(*c.Ctx)
	require.ErrorIs(c.T, err, want)
	if c.Snapshot != nil {
		require.Equal(c.T, before, c.Snapshot(), "a refused call changed the state")
	}
	require.Empty(c.T, em.Events(), "a refused call emitted events")
	if c.Invariants != nil {
		require.NoError(c.T, c.Invariants(), "invariants after a refused call")
	}
}

// EventTypes lists the types of the events an event manager holds, in order.
func EventTypes(em *sdk.EventManager) []string {
	out := make([]string, 0, len(em.Events()))
	for _, e := range em.Events() {
		out = append(out, e.Type)
	}
	return out
}

// RequireSubsequence requires that got contains want in order (other events may come between).
// A want entry is an event type string or a typed event message.
func RequireSubsequence(t testing.TB, got []string, want ...any) {
	t.Helper()
	i := 0
	for _, w := range want {
		name := eventName(w)
		for i < len(got) && got[i] != name {
			i++
		}
		require.Less(t, i, len(got), "event %s missing (in order) from %v", name, got)
		i++
	}
}

func eventName(w any) string {
	switch v := w.(type) {
	case string:
		return v
	case proto.Message:
		return proto.MessageName(v)
	default:
		panic(fmt.Sprintf("kittest: want an event type or message, got %T", w))
	}
}
