package modkit

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"
	gogoproto "github.com/cosmos/gogoproto/proto"
	gogotypes "github.com/cosmos/gogoproto/types"
	protov2 "google.golang.org/protobuf/proto"

	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// TypedEventToEvent is sdk.TypedEventToEvent, with the same output byte for byte, without its
// two passes through JSON. The SDK encodes the event with gogoproto's jsonpb (OrigName,
// EmitDefaults), which re-derives every field's properties from its struct tag on each call,
// then decodes that JSON into a map and sorts its keys to make the attributes. Here each event
// type's fields are resolved once into an encoding plan, and the attributes are written
// directly, already in key order. The plan reproduces jsonpb's encoding of every kind an event
// field has: strings (escaped as encoding/json does), 32- and 64-bit integers (the latter
// quoted), bools, enums by name (an unknown value as its number), bytes (base64, null when
// nil), repeated fields, nested messages (compact, in field order, nil as null), custom types
// with a MarshalJSON method (math.Int, LegacyDec) and stdtime timestamps. A type with anything
// else (maps, oneofs, floats, Any, well-known wrapper types, proto2 extensions, custom JSON
// marshalers) has no plan and goes through the SDK's own path. The plans are built on first
// use and shared; they depend only on the Go type, so the output is as deterministic as the
// SDK's.
func TypedEventToEvent(ev gogoproto.Message) (sdk.Event, error) {
	p := planOf(reflect.TypeOf(ev))
	v := reflect.ValueOf(ev)
	if p == nil || v.IsNil() {
		return sdk.TypedEventToEvent(ev)
	}
	s := v.Elem()
	attrs := make([]abci.EventAttribute, len(p.sorted))
	var buf []byte
	for n, f := range p.sorted {
		var err error
		if buf, err = f.enc(buf[:0], s.Field(f.index)); err != nil {
			return sdk.Event{}, err
		}
		attrs[n] = abci.EventAttribute{Key: f.name, Value: string(buf)}
	}
	return sdk.Event{Type: gogoproto.MessageName(ev), Attributes: attrs}, nil
}

// encoder appends the JSON of v to buf.
type encoder func(buf []byte, v reflect.Value) ([]byte, error)

type fieldPlan struct {
	index int
	name  string
	enc   encoder
}

// msgPlan is a message type's fields in struct order (jsonpb's order inside a nested object)
// and sorted by name (the order of a typed event's attributes).
type msgPlan struct {
	fields []fieldPlan
	sorted []fieldPlan
}

var (
	plans   sync.Map // reflect.Type of *Msg → *msgPlan, or nil for no plan
	buildMu sync.Mutex
)

// planOf returns the plan of a *Msg type, or nil if it has none.
func planOf(t reflect.Type) *msgPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*msgPlan)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := plans.Load(t); ok {
		return p.(*msgPlan)
	}
	p := buildPlan(t, map[reflect.Type]*msgPlan{})
	plans.Store(t, p)
	return p
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	stringerType      = reflect.TypeFor[fmt.Stringer]()
	messageType       = reflect.TypeFor[gogoproto.Message]()
	messageV2Type     = reflect.TypeFor[protov2.Message]()
	wktType           = reflect.TypeFor[interface{ XXX_WellKnownType() string }]()
	unpackType        = reflect.TypeFor[codectypes.UnpackInterfacesMessage]()
	timeType          = reflect.TypeFor[time.Time]()
	durType           = reflect.TypeFor[time.Duration]()
)

// buildPlan builds the plan of a *Msg type; building holds the plans under construction, so
// that a recursive message type resolves to itself.
func buildPlan(pt reflect.Type, building map[reflect.Type]*msgPlan) *msgPlan {
	if pt.Kind() != reflect.Pointer || pt.Elem().Kind() != reflect.Struct || !pt.Implements(messageType) {
		return nil
	}
	if p, ok := building[pt]; ok {
		return p
	}
	// jsonpb and the SDK treat these specially (or may): leave them to the SDK.
	if pt.Implements(messageV2Type) || pt.Implements(wktType) || pt.Implements(unpackType) || hasJSONPBMarshaler(pt) {
		return nil
	}
	t := pt.Elem()
	p := &msgPlan{}
	building[pt] = p
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if strings.HasPrefix(f.Name, "XXX_") {
			if f.Name == "XXX_InternalExtensions" || f.Name == "XXX_extensions" {
				return nil
			}
			continue
		}
		tag := f.Tag.Get("protobuf")
		if f.Tag.Get("protobuf_oneof") != "" {
			return nil
		}
		if tag == "" {
			continue
		}
		var prop gogoproto.Properties
		prop.Init(f.Type, f.Name, tag, &f)
		enc := encoderOf(f.Type, &prop, building)
		if enc == nil {
			return nil
		}
		p.fields = append(p.fields, fieldPlan{index: i, name: prop.OrigName, enc: enc})
	}
	p.sorted = append([]fieldPlan(nil), p.fields...)
	sort.SliceStable(p.sorted, func(a, b int) bool { return p.sorted[a].name < p.sorted[b].name })
	return p
}

func hasJSONPBMarshaler(pt reflect.Type) bool {
	_, ok := pt.MethodByName("MarshalJSONPB")
	return ok
}

// encoderOf returns the encoder jsonpb's marshalValue amounts to for a field of type t, or nil.
func encoderOf(t reflect.Type, prop *gogoproto.Properties, building map[reflect.Type]*msgPlan) encoder {
	switch {
	case t.Kind() == reflect.Pointer:
		elem := encoderOf(t.Elem(), prop, building)
		if elem == nil {
			return nil
		}
		return func(buf []byte, v reflect.Value) ([]byte, error) {
			if v.IsNil() {
				return append(buf, "null"...), nil
			}
			return elem(buf, v.Elem())
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		elem := encoderOf(t.Elem(), prop, building)
		if elem == nil {
			return nil
		}
		return func(buf []byte, v reflect.Value) ([]byte, error) {
			buf = append(buf, '[')
			for i := 0; i < v.Len(); i++ {
				if i > 0 {
					buf = append(buf, ',')
				}
				var err error
				if buf, err = elem(buf, v.Index(i)); err != nil {
					return nil, err
				}
			}
			return append(buf, ']'), nil
		}
	case t.Implements(wktType) || reflect.PointerTo(t).Implements(wktType):
		return nil
	case t == timeType:
		return encodeTime
	case t == durType:
		return nil
	case prop.Enum != "":
		if t.Kind() != reflect.Int32 || !t.Implements(stringerType) || t.Implements(jsonMarshalerType) {
			return nil
		}
		return encodeEnum
	case t.Kind() == reflect.Struct:
		if t.Implements(jsonMarshalerType) {
			return encodeMarshalJSON
		}
		nested := buildPlan(reflect.PointerTo(t), building)
		if nested == nil {
			return nil
		}
		return func(buf []byte, v reflect.Value) ([]byte, error) {
			buf = append(buf, '{')
			for n, f := range nested.fields {
				if n > 0 {
					buf = append(buf, ',')
				}
				buf = append(buf, '"')
				buf = append(buf, f.name...)
				buf = append(buf, '"', ':')
				var err error
				if buf, err = f.enc(buf, v.Field(f.index)); err != nil {
					return nil, err
				}
			}
			return append(buf, '}'), nil
		}
	}
	// encoding/json's own encoding of a scalar: only for types without a custom one.
	if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) ||
		reflect.PointerTo(t).Implements(jsonMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return func(buf []byte, v reflect.Value) ([]byte, error) { return strconv.AppendBool(buf, v.Bool()), nil }
	case reflect.Int32:
		return func(buf []byte, v reflect.Value) ([]byte, error) { return strconv.AppendInt(buf, v.Int(), 10), nil }
	case reflect.Uint32:
		return func(buf []byte, v reflect.Value) ([]byte, error) { return strconv.AppendUint(buf, v.Uint(), 10), nil }
	case reflect.Int64: // jsonpb quotes 64-bit integers
		return func(buf []byte, v reflect.Value) ([]byte, error) {
			return append(strconv.AppendInt(append(buf, '"'), v.Int(), 10), '"'), nil
		}
	case reflect.Uint64:
		return func(buf []byte, v reflect.Value) ([]byte, error) {
			return append(strconv.AppendUint(append(buf, '"'), v.Uint(), 10), '"'), nil
		}
	case reflect.String:
		return encodeString
	case reflect.Slice: // []byte
		return encodeBytes
	}
	return nil
}

// encodeString writes a plain printable ASCII string as is, and leaves any other to
// encoding/json (HTML escaping, invalid UTF-8, U+2028/U+2029, control characters).
func encodeString(buf []byte, v reflect.Value) ([]byte, error) {
	s := v.String()
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			b, err := json.Marshal(s)
			return append(buf, b...), err
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"'), nil
}

// encodeBytes is encoding/json's []byte: null when nil, else standard base64 in quotes.
func encodeBytes(buf []byte, v reflect.Value) ([]byte, error) {
	if v.IsNil() {
		return append(buf, "null"...), nil
	}
	b := v.Bytes()
	buf = append(buf, '"')
	buf = base64.StdEncoding.AppendEncode(buf, b)
	return append(buf, '"'), nil
}

// encodeEnum is jsonpb's enum: the name in quotes, an unknown value as its bare number.
func encodeEnum(buf []byte, v reflect.Value) ([]byte, error) {
	name := v.Interface().(fmt.Stringer).String()
	num := strconv.Itoa(int(v.Int()))
	if name == num {
		return append(buf, num...), nil
	}
	buf = append(buf, '"')
	buf = append(buf, name...)
	return append(buf, '"'), nil
}

// encodeMarshalJSON writes a custom type's MarshalJSON output unchanged, as jsonpb does.
func encodeMarshalJSON(buf []byte, v reflect.Value) ([]byte, error) {
	b, err := v.Interface().(json.Marshaler).MarshalJSON()
	return append(buf, b...), err
}

// encodeTime is jsonpb's timestamp: RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits.
func encodeTime(buf []byte, v reflect.Value) ([]byte, error) {
	ts, err := gogotypes.TimestampProto(v.Interface().(time.Time))
	if err != nil {
		return nil, err
	}
	if ts.Nanos < 0 || ts.Nanos >= 1e9 {
		return nil, fmt.Errorf("ns out of range [0, 1000000000)")
	}
	x := time.Unix(ts.Seconds, int64(ts.Nanos)).UTC().Format("2006-01-02T15:04:05.000000000")
	x = strings.TrimSuffix(x, "000")
	x = strings.TrimSuffix(x, "000")
	x = strings.TrimSuffix(x, ".000")
	buf = append(buf, '"')
	buf = append(buf, x...)
	return append(buf, 'Z', '"'), nil
}
