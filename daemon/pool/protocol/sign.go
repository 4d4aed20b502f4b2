package protocol

import (
	"crypto/ed25519"
	"fmt"
)

// SignatureSize is the size of one ed25519 signature; a partial's aggregate signature is two.
const SignatureSize = ed25519.SignatureSize

// Verify checks an ed25519 signature by pub over msg.
func Verify(pub Bytes32, msg Bytes32, sig []byte) bool {
	if len(sig) != SignatureSize {
		return false
	}
	return ed25519.Verify(pub[:], msg[:], sig)
}

// Sign signs msg with key.
func Sign(key ed25519.PrivateKey, msg Bytes32) []byte { return ed25519.Sign(key, msg[:]) }

// PublicKey returns key's public key as a Bytes32.
func PublicKey(key ed25519.PrivateKey) Bytes32 {
	var out Bytes32
	copy(out[:], key.Public().(ed25519.PublicKey))
	return out
}

// SignPartial returns the aggregate signature of a partial: the plot key's signature followed by
// the authentication key's, both over p.Hash().
func SignPartial(p *PostPartialPayload, plotKey, authKey ed25519.PrivateKey) HexBytes {
	m := p.Hash()
	return append(Sign(plotKey, m), Sign(authKey, m)...)
}

// VerifyPartial checks both halves of a partial's aggregate signature: the plot key's (the key in
// the proof) and the farmer's authentication key's. It returns an InvalidSignature error naming
// the half that failed.
func VerifyPartial(p *PostPartialPayload, authKey Bytes32, sig []byte) error {
	return verifyPartial(Verify, p, authKey, sig)
}

func verifyPartial(verify func(pub, msg Bytes32, sig []byte) bool, p *PostPartialPayload, authKey Bytes32, sig []byte) error {
	if len(sig) != 2*SignatureSize {
		return Errorf(InvalidSignature, "aggregate signature must be %d bytes, got %d", 2*SignatureSize, len(sig))
	}
	m := p.Hash()
	if !verify(p.ProofOfSpace.PlotPublicKey, m, sig[:SignatureSize]) {
		return Errorf(InvalidSignature, "plot key signature does not verify")
	}
	if !verify(authKey, m, sig[SignatureSize:]) {
		return Errorf(InvalidSignature, "authentication key signature does not verify")
	}
	return nil
}

// VerifyOwner checks an owner-key signature over msg, for POST and PUT /farmer.
func VerifyOwner(owner Bytes32, msg Bytes32, sig []byte) error {
	if !Verify(owner, msg, sig) {
		return Errorf(InvalidSignature, "signature by the pool contract's owner key %s does not verify", owner)
	}
	return nil
}

// VerifyAuth checks a GET /farmer or GET /login signature by the authentication key.
func VerifyAuth(p *AuthenticationPayload, authKey Bytes32, sig []byte) error {
	if !Verify(authKey, p.Hash(), sig) {
		return Errorf(InvalidSignature, "%s signature by the authentication key does not verify", p.MethodName)
	}
	return nil
}

// String describes the payload for logs.
func (p *AuthenticationPayload) String() string {
	return fmt.Sprintf("%s(%s, token %d)", p.MethodName, p.LauncherID, p.AuthenticationToken)
}
