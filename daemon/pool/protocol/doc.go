// Package protocol is Guild's version of Chia's pool protocol v1: the request and response types
// of every endpoint with pool-reference's JSON field names, their canonical (Streamable-style)
// encoding, the message hashes that farmers sign, ed25519 signatures in place of Chia's BLS, the
// authentication token with pool-reference's time window, and the error codes 1–16.
//
// Byte fields are hex strings in JSON, with an optional 0x prefix. A signature is over
// SHA-256("guild/pool/v1/" ‖ method ‖ canonical encoding of the payload), so that a signature made
// for one endpoint can never be replayed on another, nor on the chain (whose messages use other
// domains).
//
// Keys, as in Chia: a partial carries two signatures over the same hash, one by the plot key
// (whose public key is hashed into the plot id, so a stolen proof cannot be resubmitted under
// another key) and one by the farmer's authentication key registered with the pool; farmer
// records (POST and PUT /farmer) are signed by the pool contract's owner key, read from the chain;
// GET /farmer and GET /login are signed by the authentication key.
package protocol
