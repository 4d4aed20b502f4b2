package client

import (
	"fmt"

	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	signingtypes "github.com/cosmos/cosmos-sdk/types/tx/signing"
)

// KeyringSigner signs with named ed25519 keys of a keyring, found by public key.
type KeyringSigner struct {
	kr    keyring.Keyring
	names map[[32]byte]string
}

// NewKeyringSigner returns a signer over the named keys, which must be ed25519.
func NewKeyringSigner(kr keyring.Keyring, names ...string) (*KeyringSigner, error) {
	s := &KeyringSigner{kr: kr, names: map[[32]byte]string{}}
	for _, name := range names {
		if _, err := s.Add(name); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Add adds a key by name and returns its public key.
func (s *KeyringSigner) Add(name string) ([32]byte, error) {
	rec, err := s.kr.Key(name)
	if err != nil {
		return [32]byte{}, fmt.Errorf("key %q: %w", name, err)
	}
	pk, err := rec.GetPubKey()
	if err != nil {
		return [32]byte{}, err
	}
	if len(pk.Bytes()) != 32 {
		return [32]byte{}, fmt.Errorf("key %q is not an ed25519 key", name)
	}
	pub := [32]byte(pk.Bytes())
	s.names[pub] = name
	return pub, nil
}

// Sign implements Signer.
func (s *KeyringSigner) Sign(pub, msg []byte) ([]byte, error) {
	if len(pub) != 32 {
		return nil, fmt.Errorf("public key of %d bytes", len(pub))
	}
	name, ok := s.names[[32]byte(pub)]
	if !ok {
		return nil, fmt.Errorf("no key for public key %x", pub)
	}
	sig, _, err := s.kr.Sign(name, msg, signingtypes.SignMode_SIGN_MODE_DIRECT)
	return sig, err
}
