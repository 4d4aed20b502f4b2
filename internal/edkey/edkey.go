// Package edkey adds ed25519 to the SDK keyring, so that node keys and plot keys (which Guild
// requires to be ed25519) live in the same keyring as account keys and sign transactions.
//
// Keys are derived from the mnemonic as SLIP-0010 prescribes for ed25519: every path element is
// used hardened, since ed25519 has no public derivation.
package edkey

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	bip39 "github.com/cosmos/go-bip39"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdked25519 "github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/crypto/types"
)

// Algo is the ed25519 signing algorithm for the keyring (`--algo ed25519`).
var Algo = algo{}

type algo struct{}

func (algo) Name() hd.PubKeyType { return hd.Ed25519Type }

func (algo) Derive() hd.DeriveFn {
	return func(mnemonic, passphrase, path string) ([]byte, error) {
		seed, err := bip39.NewSeedWithErrorChecking(mnemonic, passphrase)
		if err != nil {
			return nil, err
		}
		return DeriveSLIP10(seed, path)
	}
}

func (algo) Generate() hd.GenerateFn {
	return func(bz []byte) types.PrivKey {
		return &sdked25519.PrivKey{Key: ed25519.NewKeyFromSeed(bz[:ed25519.SeedSize])}
	}
}

// KeyringOption makes a keyring accept both secp256k1 (the default) and ed25519 keys.
func KeyringOption() keyring.Option {
	return func(o *keyring.Options) {
		o.SupportedAlgos = keyring.SigningAlgoList{hd.Secp256k1, Algo}
	}
}

// DeriveSLIP10 derives a 32-byte ed25519 seed from a BIP-39 seed along a BIP-44 style path such
// as m/44'/118'/0'/0/0, hardening every element.
func DeriveSLIP10(seed []byte, path string) ([]byte, error) {
	mac := hmac.New(sha512.New, []byte("ed25519 seed"))
	mac.Write(seed)
	i := mac.Sum(nil)
	key, chain := i[:32], i[32:]
	parts := strings.Split(strings.TrimPrefix(path, "m/"), "/")
	for _, p := range parts {
		if p == "" || p == "m" {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSuffix(p, "'"), 10, 31)
		if err != nil {
			return nil, fmt.Errorf("invalid derivation path %q: %w", path, err)
		}
		var data [37]byte
		copy(data[1:33], key)
		binary.BigEndian.PutUint32(data[33:], uint32(n)|0x80000000)
		mac := hmac.New(sha512.New, chain)
		mac.Write(data[:])
		i := mac.Sum(nil)
		key, chain = i[:32], i[32:]
	}
	return key, nil
}
