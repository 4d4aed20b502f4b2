package modkit_test

import (
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	_ "github.com/cosmos/cosmos-sdk/contrib/x/nft"
	sdk "github.com/cosmos/cosmos-sdk/types"
	_ "github.com/cosmos/cosmos-sdk/x/bank/types"
	_ "github.com/cosmos/cosmos-sdk/x/feegrant"
	_ "github.com/cosmos/cosmos-sdk/x/gov/types/v1"
	_ "github.com/cosmos/cosmos-sdk/x/staking/types"

	_ "github.com/guild-network/guild/x/credit/types"
	_ "github.com/guild-network/guild/x/farming/types"
	"github.com/guild-network/guild/x/internal/modkit"
	_ "github.com/guild-network/guild/x/market/types"
	_ "github.com/guild-network/guild/x/provider/types"
	_ "github.com/guild-network/guild/x/vault/types"
)

// messageTypes lists the Go types of the registered messages whose full name passes keep.
func messageTypes(t *testing.T, keep func(name string) bool) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var walk func(msgs protoreflect.MessageDescriptors)
	walk = func(msgs protoreflect.MessageDescriptors) {
		for i := 0; i < msgs.Len(); i++ {
			md := msgs.Get(i)
			name := string(md.FullName())
			if keep(name) && !md.IsMapEntry() {
				if typ := gogoproto.MessageType(name); typ != nil {
					out[name] = typ
				}
			}
			walk(md.Messages())
		}
	}
	gogoproto.HybridResolver.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		walk(fd.Messages())
		return true
	})
	return out
}

// The strings a field is filled with: empty, plain, and every class encoding/json escapes.
var fillStrings = []string{"", "guild1qyqszqgpqyqszqgpqyqszqgpqyqszqgp5k7tqz", "a", "uusdc", `quote " and \ backslash`,
	"<html>", "a&b", "1>0", "tab\tnew\nline\r", "\x00\x01\x1f\x7f", "é ü 中文 😀", "\u2028\u2029", "\xff\xfe invalid utf-8", "0.500000000000000000"}

// fill sets v (settable) to a random value of its type; depth bounds recursion.
func fill(r *rand.Rand, v reflect.Value, depth int) {
	t := v.Type()
	switch {
	case t == reflect.TypeFor[time.Time]():
		secs := r.Int63n(4_000_000_000)
		nanos := []int64{0, 1_000_000 * r.Int63n(1000), 1000 * r.Int63n(1_000_000), r.Int63n(1_000_000_000)}[r.Intn(4)]
		v.Set(reflect.ValueOf(time.Unix(secs, nanos)))
		return
	case t == reflect.TypeFor[sdkmath.Int]():
		if r.Intn(4) > 0 { // else the zero value, whose internal pointer is nil
			v.Set(reflect.ValueOf(sdkmath.NewInt(r.Int63() - r.Int63()).MulRaw(int64(r.Intn(1000)))))
		}
		return
	case t == reflect.TypeFor[sdkmath.LegacyDec]():
		if r.Intn(4) > 0 {
			v.Set(reflect.ValueOf(sdkmath.LegacyNewDecWithPrec(r.Int63()-r.Int63(), int64(r.Intn(19)))))
		}
		return
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(fillStrings[r.Intn(len(fillStrings))])
	case reflect.Bool:
		v.SetBool(r.Intn(2) == 1)
	case reflect.Int32:
		if t.Implements(reflect.TypeFor[interface{ String() string }]()) { // an enum: known and unknown values
			v.SetInt(int64(r.Intn(8) - 1))
		} else {
			v.SetInt(int64(int32(r.Uint32())))
		}
	case reflect.Int64, reflect.Int:
		v.SetInt([]int64{0, -1, 1 << 62, -1 << 63, r.Int63()}[r.Intn(5)])
	case reflect.Uint32:
		v.SetUint(uint64(r.Uint32()))
	case reflect.Uint64:
		v.SetUint([]uint64{0, 1, 1<<64 - 1, r.Uint64()}[r.Intn(4)])
	case reflect.Float32, reflect.Float64:
		v.SetFloat(r.NormFloat64())
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			switch r.Intn(3) {
			case 0: // nil
			case 1:
				v.SetBytes([]byte{})
			default:
				b := make([]byte, 1+r.Intn(40))
				r.Read(b)
				v.SetBytes(b)
			}
			return
		}
		if depth <= 0 || r.Intn(4) == 0 {
			return // nil
		}
		n := r.Intn(4)
		s := reflect.MakeSlice(t, n, n)
		for i := 0; i < n; i++ {
			fill(r, s.Index(i), depth-1)
		}
		v.Set(s)
	case reflect.Pointer:
		if depth <= 0 || r.Intn(3) == 0 {
			return // nil
		}
		p := reflect.New(t.Elem())
		fill(r, p.Elem(), depth-1)
		v.Set(p)
	case reflect.Map:
		if depth <= 0 || r.Intn(2) == 0 {
			return
		}
		m := reflect.MakeMap(t)
		for i := 0; i < r.Intn(3); i++ {
			k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			fill(r, k, depth-1)
			fill(r, e, depth-1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if depth <= 0 {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() && !strings.HasPrefix(f.Name, "XXX_") {
				fill(r, v.Field(i), depth-1)
			}
		}
	}
}

// encodeCatching runs an encoder and reports a panic (some SDK types' MarshalJSON panic on an
// empty value) as such.
func encodeCatching(enc func(gogoproto.Message) (sdk.Event, error), msg gogoproto.Message) (ev sdk.Event, err error, panicked bool) {
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	ev, err = enc(msg)
	return ev, err, false
}

// sameAsSDK requires modkit.TypedEventToEvent to give exactly the SDK's event (or both to fail,
// or both to panic).
func sameAsSDK(t *testing.T, name string, msg gogoproto.Message) {
	want, wantErr, wantPanic := encodeCatching(sdk.TypedEventToEvent, msg)
	got, gotErr, gotPanic := encodeCatching(modkit.TypedEventToEvent, msg)
	require.Equal(t, wantPanic, gotPanic, "%s: panics", name)
	if wantErr != nil {
		require.Error(t, gotErr, "%s: the SDK fails (%v)", name, wantErr)
		return
	}
	require.NoError(t, gotErr, name)
	require.Equal(t, want, got, "%s: %#v", name, msg)
}

// TestTypedEventToEventMatchesTheSDK: over every event type of every Guild module, and every
// other Guild and SDK message type registered (the SDK's have timestamps, durations, Any, maps
// and oneofs, the last four of which take the SDK's own path), empty and filled
// with random values of every kind their fields have — nested messages, coins, math.Int and
// LegacyDec (zero values included), 32- and 64-bit integers at their extremes, known and unknown
// enum values, bytes nil, empty and set, strings with every class of character JSON escapes,
// timestamps with 0, 3, 6 and 9 fractional digits — the fast encoder's attributes are the SDK's,
// byte for byte. Every Guild event type has a plan (none falls back to the SDK's path).
func TestTypedEventToEventMatchesTheSDK(t *testing.T) {
	types := messageTypes(t, func(name string) bool { return strings.HasPrefix(name, "guild.") || strings.HasPrefix(name, "cosmos.") })
	events := 0
	for name, typ := range types {
		if strings.HasPrefix(name, "guild.") && strings.HasPrefix(name[strings.LastIndex(name, ".")+1:], "Event") {
			events++
			require.True(t, modkit.HasEventPlanForTest(typ), "%s has no plan: it would take the SDK's slow path", name)
		}
	}
	require.Greater(t, events, 60, "the Guild event types were found")
	r := rand.New(rand.NewSource(1))
	names := make([]string, 0, len(types))
	for name := range types {
		names = append(names, name)
	}
	slices.Sort(names) // the same random values on every run
	for _, name := range names {
		typ := types[name]
		if typ.Implements(reflect.TypeFor[codectypes.UnpackInterfacesMessage]()) {
			continue // holds an Any: always the SDK's own path (which panics on some empty ones)
		}
		sameAsSDK(t, name, reflect.New(typ.Elem()).Interface().(gogoproto.Message))
		for range 60 {
			v := reflect.New(typ.Elem())
			fill(r, v.Elem(), 5)
			sameAsSDK(t, name, v.Interface().(gogoproto.Message))
		}
	}
}
