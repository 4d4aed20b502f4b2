// Package types holds x/vault's messages, state types, errors, parameters and the pure money
// math of vaults: share pricing with a virtual offset, the reward-per-share accumulator with its
// carried remainders, the fee split, the early-exit fee, the liquidity reserve and the tally.
package types
