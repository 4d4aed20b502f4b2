package devnet

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"

	bip39 "github.com/cosmos/go-bip39"

	"github.com/cosmos/cosmos-sdk/crypto/hd"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"

	"github.com/guild-network/guild/internal/edkey"
)

// The credit demo's keys. They are not genesis accounts: `guildd dev` adds them to the keyring
// from their fixed mnemonics once the chain is live, and funds the second provider.
const (
	// ADOIssuer is the ADO's ed25519 issuer key; genesis trusts its public key.
	ADOIssuer = "ado"
	// Requester is the demo agent's ed25519 requester key, which signs its ADO requests.
	Requester = "requester"
	// Provider2 is the second demo provider, whose owner is the demo agent.
	Provider2 = "provider2"
	// Node2 is the second demo provider's node key (ed25519).
	Node2 = "node2"
)

// CreditKeys are the credit demo's keys and whether each is ed25519.
var CreditKeys = []struct {
	Name    string
	Ed25519 bool
}{{ADOIssuer, true}, {Requester, true}, {Provider2, false}, {Node2, true}}

// Ed25519Public is the public key of an ed25519 demo key, derived from its fixed mnemonic as the
// keyring derives it (SLIP-0010 along the SDK's default path).
func Ed25519Public(name string) (ed25519.PublicKey, error) {
	seed, err := bip39.NewSeedWithErrorChecking(Mnemonic(name), "")
	if err != nil {
		return nil, err
	}
	k, err := edkey.DeriveSLIP10(seed, hd.CreateHDPath(118, 0, 0).String())
	if err != nil {
		return nil, err
	}
	return ed25519.NewKeyFromSeed(k).Public().(ed25519.PublicKey), nil
}

// AddCreditKeys adds the credit demo's keys to a keyring unless they are there already.
func AddCreditKeys(kr keyring.Keyring) error {
	for _, k := range CreditKeys {
		if _, err := kr.Key(k.Name); err == nil {
			continue
		}
		algo := keyring.SignatureAlgo(hd.Secp256k1)
		if k.Ed25519 {
			algo = edkey.Algo
		}
		if _, err := kr.NewAccount(k.Name, Mnemonic(k.Name), "", hd.CreateHDPath(118, 0, 0).String(), algo); err != nil {
			return fmt.Errorf("add key %s: %w", k.Name, err)
		}
	}
	return nil
}

// CreditGenesisPatch trusts the demo ADO's issuer key in x/credit's parameters.
func CreditGenesisPatch(state map[string]json.RawMessage) error {
	raw, ok := state["credit"]
	if !ok {
		return nil
	}
	var gs map[string]any
	if err := json.Unmarshal(raw, &gs); err != nil {
		return err
	}
	pub, err := Ed25519Public(ADOIssuer)
	if err != nil {
		return err
	}
	params, _ := gs["params"].(map[string]any)
	if params == nil {
		return fmt.Errorf("credit genesis has no params")
	}
	params["trusted_issuers"] = []any{pub} // []byte marshals as base64, as protobuf JSON wants
	b, err := json.Marshal(gs)
	if err != nil {
		return err
	}
	state["credit"] = b
	return nil
}
