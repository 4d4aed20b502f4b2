// Package types holds x/farming's messages, state types, parameters, errors and the pure
// functions of farming that the chain, the farmer and the pool server share: plot ids from a
// pool contract and a plot key, the plot filter, the proof challenge, required iterations, the
// proof signature's bytes, the reward schedule and split, and the difficulty adjustment. None of
// them takes a context; all are deterministic integer math.
package types
