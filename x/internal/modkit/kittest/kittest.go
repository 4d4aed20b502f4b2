// Package kittest is the modules' name for internal/kittest, the shared "succeeds, invariants
// hold, these events" / "fails with this error and changes nothing" assertions: keeper tests
// import it from here, the app-level suites from internal/kittest; both are the same code.
package kittest

import (
	"testing"

	"github.com/guild-network/guild/internal/kittest"
)

// Checker binds the assertions to a test fixture; see internal/kittest.Checker.
type Checker = kittest.Checker

// EventTypes lists the types of the events an event manager holds, in order.
var EventTypes = kittest.EventTypes

// RequireSubsequence requires that got contains want in order (other events may come between).
func RequireSubsequence(t testing.TB, got []string, want ...any) {
	t.Helper()
	kittest.RequireSubsequence(t, got, want...)
}

// MeasuredBlock runs op as one measured, committed block of a keeper benchmark; see
// internal/kittest.MeasuredBlock.
var MeasuredBlock = kittest.MeasuredBlock
