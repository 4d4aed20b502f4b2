// Package modkit holds the helpers every Guild module shares, so that no module copies them:
// the block's time and height, typed events (encoded as the SDK encodes them, without its two
// passes through JSON), id sequences that start at 1, the authority check,
// address and coin validators, a partial index derived from its objects (the shape of every
// live set, every time or height queue and every multi index), its unique counterpart,
// OneRead (one read of the old object for all of a map's indexes), and the bounded walk over a queue's due entries.
//
// Everything here is consensus code: deterministic, no I/O, no clocks but the block header.
package modkit
