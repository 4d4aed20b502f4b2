package protocol

import (
	"crypto/sha256"
	"encoding/binary"
)

// Domain is the prefix of every message hash of this protocol.
const Domain = "guild/pool/v1/"

// Method names, the second part of each message's domain.
const (
	MethodPartial    = "post_partial"
	MethodPostFarmer = "post_farmer"
	MethodPutFarmer  = "put_farmer"
	MethodGetFarmer  = "get_farmer"
	MethodGetLogin   = "get_login"
)

// encoder writes Chia's Streamable encoding: big-endian fixed-width integers, 1-byte bools, raw
// 32-byte values, u32-length-prefixed byte strings, and Optional as 0x00 or 0x01 ‖ value.
type encoder struct{ buf []byte }

func (e *encoder) u8(v uint8)    { e.buf = append(e.buf, v) }
func (e *encoder) u64(v uint64)  { e.buf = binary.BigEndian.AppendUint64(e.buf, v) }
func (e *encoder) b32(v Bytes32) { e.buf = append(e.buf, v[:]...) }
func (e *encoder) bytes(v []byte) {
	e.buf = binary.BigEndian.AppendUint32(e.buf, uint32(len(v)))
	e.buf = append(e.buf, v...)
}
func (e *encoder) str(v string) { e.bytes([]byte(v)) }
func (e *encoder) boolean(v bool) {
	if v {
		e.u8(1)
	} else {
		e.u8(0)
	}
}
func (e *encoder) optB32(v *Bytes32) {
	if v == nil {
		e.u8(0)
		return
	}
	e.u8(1)
	e.b32(*v)
}
func (e *encoder) optU64(v *uint64) {
	if v == nil {
		e.u8(0)
		return
	}
	e.u8(1)
	e.u64(*v)
}
func (e *encoder) optStr(v *string) {
	if v == nil {
		e.u8(0)
		return
	}
	e.u8(1)
	e.str(*v)
}

func digest(method string, body []byte) Bytes32 {
	h := sha256.New()
	h.Write([]byte(Domain))
	h.Write([]byte(method))
	h.Write(body)
	var out Bytes32
	copy(out[:], h.Sum(nil))
	return out
}

// Encode returns the canonical encoding of the proof.
func (p *ProofOfSpace) encode(e *encoder) {
	e.b32(p.Challenge)
	e.optB32(p.PoolPublicKey)
	e.u8(1) // pool_contract_puzzle_hash is always present
	e.b32(p.PoolContractPuzzleHash)
	e.b32(p.PlotPublicKey)
	e.u8(p.Size)
	e.bytes(p.Proof)
}

// Hash returns the message both signatures of a partial cover.
func (p *PostPartialPayload) Hash() Bytes32 {
	var e encoder
	e.b32(p.LauncherID)
	e.u64(p.AuthenticationToken)
	p.ProofOfSpace.encode(&e)
	e.b32(p.SPHash)
	e.boolean(p.EndOfSubSlot)
	e.b32(p.HarvesterID)
	return digest(MethodPartial, e.buf)
}

// Hash returns the message the owner key signs for POST /farmer.
func (p *PostFarmerPayload) Hash() Bytes32 {
	var e encoder
	e.b32(p.LauncherID)
	e.u64(p.AuthenticationToken)
	e.b32(p.AuthenticationPublicKey)
	e.str(p.PayoutInstructions)
	e.optU64(p.SuggestedDifficulty)
	return digest(MethodPostFarmer, e.buf)
}

// Hash returns the message the owner key signs for PUT /farmer.
func (p *PutFarmerPayload) Hash() Bytes32 {
	var e encoder
	e.b32(p.LauncherID)
	e.u64(p.AuthenticationToken)
	e.optB32(p.AuthenticationPublicKey)
	e.optStr(p.PayoutInstructions)
	e.optU64(p.SuggestedDifficulty)
	return digest(MethodPutFarmer, e.buf)
}

// Hash returns the message the authentication key signs for GET /farmer or GET /login.
func (p *AuthenticationPayload) Hash() Bytes32 {
	var e encoder
	e.str(p.MethodName)
	e.b32(p.LauncherID)
	e.str(p.TargetPuzzleHash)
	e.u64(p.AuthenticationToken)
	return digest(p.MethodName, e.buf)
}
