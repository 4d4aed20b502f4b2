package cmd

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// displayPath is how the banner names the running binary: relative to the current directory
// when it is below it (build/guildd, as README uses), else absolute.
func displayPath(exe string) string {
	wd, err := os.Getwd()
	if err != nil {
		return exe
	}
	if rel, err := filepath.Rel(wd, exe); err == nil && !strings.HasPrefix(rel, "..") {
		if !strings.Contains(rel, string(filepath.Separator)) {
			return "./" + rel
		}
		return rel
	}
	return exe
}

// shutdownNoise are the node's error lines of an orderly stop: listeners and subscriptions
// closing under their goroutines. They say nothing is wrong, so guildd dev drops them once
// the stop has begun; any other line passes.
var shutdownNoise = []string{
	"use of closed network connection",
	"Stopped accept routine",
	"already stopped",
	"websocket: close sent",
	"subscription was canceled",
	"CometBFT exited",
	"http: Server closed",
	"context canceled",
}

// quietShutdown writes the node's log to w, line by line, without clientNoise, and without
// shutdownNoise after ctx ends.
func quietShutdown(ctx context.Context, w io.Writer) io.Writer {
	return &shutdownFilter{ctx: ctx, w: w}
}

type shutdownFilter struct {
	ctx     context.Context
	w       io.Writer
	mu      sync.Mutex
	pending []byte
}

func (f *shutdownFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = append(f.pending, p...)
	for {
		i := bytes.IndexByte(f.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := f.pending[:i+1]
		if !f.noise(line) {
			if _, err := f.w.Write(line); err != nil {
				return len(p), err
			}
		}
		f.pending = f.pending[i+1:]
	}
}

// clientNoise is logged by the node's RPC server when a client (the agent, a dashboard) asks
// for the results of a block that is not stored yet; the client retries, the node is fine.
var clientNoise = []string{"could not find results for height"}

func (f *shutdownFilter) noise(line []byte) bool {
	for _, n := range clientNoise {
		if bytes.Contains(line, []byte(n)) {
			return true
		}
	}
	if f.ctx.Err() == nil {
		return false
	}
	for _, n := range shutdownNoise {
		if bytes.Contains(line, []byte(n)) {
			return true
		}
	}
	return false
}
