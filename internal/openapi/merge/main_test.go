package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}

func TestMerge(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.swagger.json", `{"paths":{"/a":{"get":{}}},"definitions":{"A":{"type":"object"},"google.protobuf.Any":{"type":"object"}}}`)
	b := write(t, dir, "b.swagger.json", `{"paths":{"/b":{"get":{}}},"definitions":{"A":{"type": "object"},"google.protobuf.Any":{"type":"object","title":"other comment"}}}`)
	out, err := merge([]string{a, b})
	require.NoError(t, err)
	var doc struct {
		Swagger     string                     `json:"swagger"`
		Paths       map[string]json.RawMessage `json:"paths"`
		Definitions map[string]json.RawMessage `json:"definitions"`
	}
	require.NoError(t, json.Unmarshal(out, &doc))
	require.Equal(t, "2.0", doc.Swagger)
	require.Len(t, doc.Paths, 2)
	require.Len(t, doc.Definitions, 2)

	c := write(t, dir, "c.swagger.json", `{"paths":{},"definitions":{"A":{"type":"string"}}}`)
	_, err = merge([]string{a, c})
	require.ErrorIs(t, err, ErrConflict)
}
