// Command merge joins Swagger 2.0 documents made by protoc-gen-swagger (one per service group)
// into the single OpenAPI document the node serves: every path and definition once, sorted,
// under Guild's title. Two documents that define the same path or definition differently are
// an error, never silently resolved. scripts/openapigen.sh runs it.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// doc is the part of a Swagger 2.0 document that merging touches; the rest is dropped.
type doc struct {
	Paths       map[string]json.RawMessage `json:"paths"`
	Definitions map[string]json.RawMessage `json:"definitions"`
}

// ErrConflict reports one name defined differently by two inputs.
var ErrConflict = errors.New("conflicting definitions")

func main() {
	out := flag.String("out", "openapi.json", "file to write")
	flag.Parse()
	files := flag.Args()
	sort.Strings(files)
	merged, err := merge(files)
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi merge:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, merged, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "openapi merge:", err)
		os.Exit(1)
	}
}

func merge(files []string) ([]byte, error) {
	all := doc{Paths: map[string]json.RawMessage{}, Definitions: map[string]json.RawMessage{}}
	var tags []string
	for _, f := range files {
		bz, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var d doc
		if err := json.Unmarshal(bz, &d); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if err := add(all.Paths, d.Paths, "path", f); err != nil {
			return nil, err
		}
		if err := add(all.Definitions, d.Definitions, "definition", f); err != nil {
			return nil, err
		}
		tags = append(tags, strings.TrimSuffix(filepath.Base(f), ".swagger.json"))
	}
	out := map[string]any{
		"swagger": "2.0",
		"info": map[string]any{
			"title":   "Guild REST API",
			"version": "v1",
			"description": "The REST (gRPC-gateway) routes of a Guild node: Guild's modules (/guild/…) and " +
				"the Cosmos SDK modules this chain runs. Generated from proto/ by scripts/openapigen.sh " +
				"(sources: " + strings.Join(tags, ", ") + "). Enum query parameters take the value's " +
				"name (state=LEASE_STATE_ACTIVE) or its number.",
		},
		"consumes":    []string{"application/json"},
		"produces":    []string{"application/json"},
		"paths":       all.Paths,
		"definitions": all.Definitions,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil { // map keys are written sorted: stable output
		return nil, err
	}
	return buf.Bytes(), nil
}

func add(into, from map[string]json.RawMessage, what, file string) error {
	for k, v := range from {
		if old, ok := into[k]; ok && !sameJSON(old, v) {
			if wellKnown(k) {
				continue // protobuf's and grpc's own types: documented alike, the first wins
			}
			return fmt.Errorf("%w: %s %q in %s", ErrConflict, what, k, file)
		}
		into[k] = v
	}
	return nil
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ax, _ := json.Marshal(x)
	by, _ := json.Marshal(y)
	return bytes.Equal(ax, by)
}

// wellKnown says whether a definition is one of protobuf's or gRPC's own types, which each
// generated document describes with its own comments.
func wellKnown(name string) bool {
	return strings.HasPrefix(name, "google.") || strings.HasPrefix(name, "grpc.")
}
