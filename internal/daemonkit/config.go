package daemonkit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"
)

// ErrInvalidConfig is matched (errors.Is) by every configuration error of every daemon.
var ErrInvalidConfig = errors.New("invalid configuration")

// ConfigError is a configuration error in one TOML section, optionally at one key. It matches
// ErrInvalidConfig and unwraps to its cause.
type ConfigError struct {
	Section string // TOML section ("chain", "server.tls"); empty for the file as a whole
	Key     string // key inside the section; empty when the error is about the section
	Err     error  // the cause
}

// Error renders "invalid configuration: [section] key: cause".
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(ErrInvalidConfig.Error())
	b.WriteString(": ")
	if e.Section != "" {
		b.WriteString("[" + e.Section + "] ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// Is makes every ConfigError match ErrInvalidConfig.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidConfig }

// KeyErrorf is an error about one key, for a section's ValidateBasic; Section (or
// ValidateSections) adds the section's name.
func KeyErrorf(key, format string, args ...any) error {
	return &ConfigError{Key: key, Err: fmt.Errorf(format, args...)}
}

// Section attributes err to a section: a ConfigError without a section gets this one (a nested
// section becomes "outer.inner"), anything else is wrapped. Nil stays nil.
func Section(name string, err error) error {
	if err == nil {
		return nil
	}
	var ce *ConfigError
	if errors.As(err, &ce) {
		out := *ce
		switch {
		case out.Section == "":
			out.Section = name
		case name != "":
			out.Section = name + "." + out.Section
		}
		return &out
	}
	return &ConfigError{Section: name, Err: err}
}

// Validator is a config section: its ValidateBasic returns nil or what is wrong.
type Validator interface{ ValidateBasic() error }

// Sections names the sections of a configuration in file order, for ValidateSections.
type Sections []struct {
	Name    string
	Section Validator
}

// ValidateSections validates each section in order and returns the first error, attributed to
// its section.
func ValidateSections(s Sections) error {
	for _, v := range s {
		if err := v.Section.ValidateBasic(); err != nil {
			return Section(v.Name, err)
		}
	}
	return nil
}

// LoadTOML reads the TOML file at path over base (keys the file omits keep base's values) and
// returns the result; it does not validate it. Unknown keys are errors, reported with their
// section.
func LoadTOML[T any](path string, base T) (T, error) {
	bz, err := os.ReadFile(path)
	if err != nil {
		return base, &ConfigError{Err: err}
	}
	return DecodeTOML(bz, base)
}

// DecodeTOML is LoadTOML on bytes.
func DecodeTOML[T any](bz []byte, base T) (T, error) {
	dec := toml.NewDecoder(bytes.NewReader(bz))
	dec.DisallowUnknownFields()
	cfg := base
	if err := dec.Decode(&cfg); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) && len(strict.Errors) > 0 {
			key := strict.Errors[0].Key()
			section, name := "", strings.Join(key, ".")
			if len(key) > 1 {
				section, name = strings.Join(key[:len(key)-1], "."), key[len(key)-1]
			}
			return base, &ConfigError{Section: section, Key: name, Err: fmt.Errorf("unknown key: %w", err)}
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			section, name := locate(bz, row)
			return base, &ConfigError{Section: section, Key: name, Err: fmt.Errorf("line %d column %d: %w", row, col, err)}
		}
		return base, &ConfigError{Err: err}
	}
	return cfg, nil
}

// locate finds the section and key of the 1-based line row of a TOML document: the key
// written on that line and the last [section] header above it.
func locate(doc []byte, row int) (section, key string) {
	lines := strings.Split(string(doc), "\n")
	if row < 1 || row > len(lines) {
		return "", ""
	}
	if k, _, ok := strings.Cut(lines[row-1], "="); ok {
		key = strings.Trim(strings.TrimSpace(k), `"`)
	}
	for i := row - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			return strings.Trim(l, "[] "), key
		}
	}
	return "", key
}

// EncodeTOML renders a configuration as commented TOML (the `comment` struct tags) under a
// header comment.
func EncodeTOML(header string, cfg any) ([]byte, error) {
	var buf bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(header, "\n"), "\n") {
		if line != "" {
			buf.WriteString("# " + line + "\n")
		}
	}
	if buf.Len() > 0 {
		buf.WriteString("\n")
	}
	enc := toml.NewEncoder(&buf)
	enc.SetIndentTables(false)
	if err := enc.Encode(cfg); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Duration is a time.Duration written as "30s" in TOML.
type Duration time.Duration

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// AtLeast is an error naming key when d is below floor.
func (d Duration) AtLeast(key string, floor time.Duration) error {
	if d.D() < floor {
		return KeyErrorf(key, "%s: want at least %s", d.D(), floor)
	}
	return nil
}
