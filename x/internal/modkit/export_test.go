package modkit

import (
	"reflect"

	"cosmossdk.io/collections"
)

// KeysForTest exposes the index's key set so that tests can corrupt it on purpose.
func (i *PartialIndex[RK, PK, V]) KeysForTest() collections.KeySet[collections.Pair[RK, PK]] {
	return i.keys
}

// KeysForTest exposes the index's map so that tests can corrupt it on purpose.
func (i *UniqueIndex[RK, PK, V]) KeysForTest() collections.Map[RK, PK] {
	return i.keys
}

// HasEventPlanForTest reports whether TypedEventToEvent encodes values of type t itself
// (rather than through the SDK's path).
func HasEventPlanForTest(t reflect.Type) bool { return planOf(t) != nil }
