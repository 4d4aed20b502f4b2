// Package pospace implements Chia's v1 proof of space in pure Go: verification, quality strings,
// required iterations, the plot filter, a plotter that writes plot files and a prover that
// answers challenges from them. Proofs are compatible with Chia's chiapos: the package reproduces
// chiapos's published test vectors, and its plots find at least as many proofs as chiapos's.
//
// # The construction
//
// A plot of size k, identified by a 32-byte plot id, consists of seven tables. Table 1 holds
// f1(x) for every k-bit x, where f1 is drawn from a ChaCha8 keystream keyed by the plot id.
// An entry of table t+1 is made from a matching pair of table t entries (a left entry in BC group
// g and a right entry in group g+1 whose f values satisfy Chia's match condition) by hashing
// their f value and metadata with BLAKE3. A proof for a challenge is a table-7 entry whose f value
// starts with the first k bits of the challenge, unfolded into the 64 x values it was built from.
// Its quality string, SHA-256(challenge ‖ two of the x values), decides how good the proof is.
//
// # Using it
//
//   - Verify checks a proof and returns its quality string.
//   - RequiredIterations turns a quality into the VDF iterations Chia's consensus requires for a
//     difficulty and signage point; IterationConstants holds the constants (Chia's by default).
//   - DerivePlotID, PassesPlotFilter and ProofChallenge implement plot ids, the plot filter and
//     the challenge a plot answers for a signage point.
//   - CreatePlot writes a plot file; OpenProver opens one; Prover.Qualities and Prover.Proof
//     answer a challenge by reading only the few entries they need.
//
// Plot files use this package's own formats (see README.md, docs/adr/0002-pospace.md for version
// 1 and docs/adr/0011-plot-format-v2.md for version 2, the default, which is smaller than
// chiapos's and has optional compression levels); the proofs, which are all a verifier sees, are
// the same. ConvertPlot rewrites a version-1 plot as version 2.
//
// Verify, RequiredIterations and the filter functions are deterministic, allocation-light and
// never panic on any input, so that they may be used in consensus code.
package pospace
