package pospace

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of them; test with errors.Is.
var (
	// ErrInvalidK: k is outside [MinK, MaxK] (or [MinK, MaxPlotK] for the plotter).
	ErrInvalidK = errors.New("pospace: k out of range")
	// ErrProofSize: the proof is not 64·k bits (8·k bytes) long.
	ErrProofSize = errors.New("pospace: wrong proof size")
	// ErrNoMatch: two entries of the proof that should match do not.
	ErrNoMatch = errors.New("pospace: proof entries do not match")
	// ErrChallengeMismatch: the proof is a valid tree but does not answer the challenge.
	ErrChallengeMismatch = errors.New("pospace: proof does not answer the challenge")
	// ErrBadPlot: a plot file is malformed, truncated or of an unknown version.
	ErrBadPlot = errors.New("pospace: bad plot file")
	// ErrNoProof: the plot has no proof with the requested index for the challenge.
	ErrNoProof = errors.New("pospace: no such proof")
	// ErrInvalidCompression: the compression level is outside 0…min(MaxCompression, k−1), or the
	// plot format is not one that supports it.
	ErrInvalidCompression = errors.New("pospace: compression level out of range")
	// ErrNoSpace: the temporary or destination directory has less free space than plotting needs.
	ErrNoSpace = errors.New("pospace: not enough free disk space")
)

// ProofError is returned by Verify for a proof that is well formed but invalid. It wraps
// ErrNoMatch or ErrChallengeMismatch.
type ProofError struct {
	// Err is ErrNoMatch or ErrChallengeMismatch.
	Err error
	// Table is the table (2…7) whose pair failed to match, or 0 for a challenge mismatch.
	Table int
	// Pair is the index of the failing pair within the table (0-based), for ErrNoMatch.
	Pair int
}

func (e *ProofError) Error() string {
	if errors.Is(e.Err, ErrNoMatch) {
		return fmt.Sprintf("%v: table %d, pair %d", e.Err, e.Table, e.Pair)
	}
	return e.Err.Error()
}

func (e *ProofError) Unwrap() error { return e.Err }
