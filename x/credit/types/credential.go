package types

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"

	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Action type URLs that credentials name.
const (
	ActionBorrow              = "/guild.credit.v1.MsgBorrow"
	ActionWithdraw            = "/guild.credit.v1.MsgWithdraw"
	ActionRemoveProvider      = "/guild.credit.v1.MsgRemoveProvider"
	ActionSetRecovered        = "/guild.credit.v1.MsgSetRecovered"
	ActionPutOnAdministration = "/guild.credit.v1.MsgPutOnAdministration"
	ActionSetDefault          = "/guild.credit.v1.MsgSetDefault"
)

// CredentialActions lists every action a credential may name.
var CredentialActions = []string{
	ActionBorrow, ActionWithdraw, ActionRemoveProvider, ActionSetRecovered, ActionPutOnAdministration, ActionSetDefault,
}

// CredentialHash is the hash the issuer signs and the chain burns:
//
//	SHA-256( u16(len(domain)) ‖ domain ‖ u16(len(chainID)) ‖ chainID ‖ protobuf(credential) )
//
// with domain "guild/credit/v1/credential" (module and version). The protobuf encoding of a
// Credential is deterministic (no maps, fields in order, non-nullable embedded AgentData), so
// the ADO and every validator compute the same bytes.
func CredentialHash(chainID string, c Credential) ([]byte, error) {
	bz, err := c.Marshal()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	writeLP(h, []byte(CredentialDomain))
	writeLP(h, []byte(chainID))
	h.Write(bz)
	return h.Sum(nil), nil
}

func writeLP(h interface{ Write([]byte) (int, error) }, b []byte) {
	var n [2]byte
	binary.BigEndian.PutUint16(n[:], uint16(len(b)))
	h.Write(n[:])
	h.Write(b)
}

// SignCredential signs a credential for chainID with an issuer key.
func SignCredential(chainID string, c Credential, key ed25519.PrivateKey) (SignedCredential, error) {
	c.Issuer = key.Public().(ed25519.PublicKey)
	hash, err := CredentialHash(chainID, c)
	if err != nil {
		return SignedCredential{}, err
	}
	return SignedCredential{Credential: c, Signature: ed25519.Sign(key, hash)}, nil
}

// ValueCoin parses the credential's value ("" is no value: a zero coin of no denom).
func (c Credential) ValueCoin() (sdk.Coin, error) {
	if c.Value == "" {
		return sdk.Coin{Amount: sdkmath.ZeroInt()}, nil
	}
	coin, err := sdk.ParseCoinNormalized(c.Value)
	if err != nil {
		return sdk.Coin{}, errorsmod.Wrapf(ErrInvalidCredential, "value %q: %v", c.Value, err)
	}
	return coin, nil
}

// ValidateBasic checks a signed credential's shape and signature; the keeper checks the issuer,
// the heights, the burn and the match with the message.
func (sc SignedCredential) ValidateBasic(chainID string) ([]byte, error) {
	c := sc.Credential
	if len(c.Issuer) != ed25519.PublicKeySize {
		return nil, errorsmod.Wrapf(ErrInvalidCredential, "issuer key is %d bytes", len(c.Issuer))
	}
	if len(sc.Signature) != ed25519.SignatureSize {
		return nil, errorsmod.Wrapf(ErrBadSignature, "signature is %d bytes", len(sc.Signature))
	}
	if c.Subject == 0 {
		return nil, errorsmod.Wrap(ErrInvalidCredential, "no subject agent")
	}
	if c.IssuedHeight <= 0 || c.ValidUntilHeight < c.IssuedHeight {
		return nil, errorsmod.Wrapf(ErrInvalidCredential, "heights %d..%d", c.IssuedHeight, c.ValidUntilHeight)
	}
	if _, err := c.ValueCoin(); err != nil {
		return nil, err
	}
	d := c.Data
	for _, v := range []sdkmath.Int{d.AgentValue, d.CollateralValue, d.ExpectedDailyFaultPenalties, d.ExpectedDailyRewards, d.Principal} {
		if v.IsNil() || v.IsNegative() {
			return nil, errorsmod.Wrap(ErrInvalidCredential, "agent data amounts must be non-negative")
		}
	}
	hash, err := CredentialHash(chainID, c)
	if err != nil {
		return nil, errorsmod.Wrapf(ErrInvalidCredential, "encoding: %v", err)
	}
	if !ed25519.Verify(c.Issuer, hash, sc.Signature) {
		return nil, errorsmod.Wrap(ErrBadSignature, "ed25519 signature over the credential hash")
	}
	return hash, nil
}

// CheckMatch requires that a credential names this agent, action, value and target.
func (c Credential) CheckMatch(agentID uint64, action string, value sdk.Coin, target string) error {
	if c.Subject != agentID {
		return errorsmod.Wrapf(ErrCredentialMismatch, "credential is for agent %d, message for agent %d", c.Subject, agentID)
	}
	if c.Action != action {
		return errorsmod.Wrapf(ErrCredentialMismatch, "credential is for %s, message is %s", c.Action, action)
	}
	want := ""
	if value.Amount.IsPositive() {
		want = value.String()
	}
	if c.Value != want {
		return errorsmod.Wrapf(ErrCredentialMismatch, "credential value %q, message value %q", c.Value, want)
	}
	if c.Target != target {
		return errorsmod.Wrapf(ErrCredentialMismatch, "credential target %q, message target %q", c.Target, target)
	}
	return nil
}
