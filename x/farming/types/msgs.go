package types

import (
	"crypto/ed25519"
	"net/url"
	"strings"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
)

// Every message implements sdk.HasValidateBasic: the baseapp runs these stateless checks before
// the handler; the handler runs them again, then the keeper runs the stateful checks.
var (
	_ sdk.HasValidateBasic = (*MsgSubmitProof)(nil)
	_ sdk.HasValidateBasic = (*MsgCreatePoolContract)(nil)
	_ sdk.HasValidateBasic = (*MsgJoinPool)(nil)
	_ sdk.HasValidateBasic = (*MsgLeavePool)(nil)
	_ sdk.HasValidateBasic = (*MsgAbsorb)(nil)
	_ sdk.HasValidateBasic = (*MsgUpdateParams)(nil)
)

// ValidateBasic checks the addresses, the key and signature sizes and that the proof is 8·k
// bytes.
func (m *MsgSubmitProof) ValidateBasic() error {
	if err := modkit.ValidateAddress("submitter", m.Submitter); err != nil {
		return err
	}
	if err := modkit.ValidateAddress("reward_address", m.RewardAddress); err != nil {
		return err
	}
	if m.SpHeight <= 0 {
		return errorsmod.Wrapf(ErrInvalidSignagePoint, "sp_height %d", m.SpHeight)
	}
	if err := ValidatePubKey("plot_public_key", m.PlotPublicKey); err != nil {
		return err
	}
	if m.K < 10 || m.K > 50 {
		return errorsmod.Wrapf(ErrInvalidK, "k = %d", m.K)
	}
	if len(m.Proof) != 8*int(m.K) {
		return errorsmod.Wrapf(ErrInvalidProofSize, "%d bytes for k = %d, want %d", len(m.Proof), m.K, 8*m.K)
	}
	if len(m.Signature) != ed25519.SignatureSize {
		return errorsmod.Wrapf(ErrInvalidSignature, "%d bytes, want %d", len(m.Signature), ed25519.SignatureSize)
	}
	return nil
}

// ValidateBasic checks the owner and its public key.
func (m *MsgCreatePoolContract) ValidateBasic() error {
	if err := modkit.ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	return ValidatePubKey("owner_public_key", m.OwnerPublicKey)
}

// ValidateBasic checks the addresses, the pool URL and that the lock is positive.
func (m *MsgJoinPool) ValidateBasic() error {
	if err := modkit.ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := modkit.ValidateAddress("target", m.Target); err != nil {
		return err
	}
	if err := ValidatePoolURL(m.PoolUrl); err != nil {
		return err
	}
	if m.RelativeLock == 0 {
		return errorsmod.Wrap(ErrInvalidRelativeLock, "relative_lock must be positive")
	}
	return nil
}

// ValidateBasic checks the owner.
func (m *MsgLeavePool) ValidateBasic() error {
	return modkit.ValidateAddress("owner", m.Owner)
}

// ValidateBasic checks the addresses.
func (m *MsgAbsorb) ValidateBasic() error {
	if err := modkit.ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	return modkit.ValidateAddress("target", m.Target)
}

// ValidateBasic checks the authority's address and the parameters.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := modkit.ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

// ValidatePubKey checks a 32-byte ed25519 public key.
func ValidatePubKey(field string, pk []byte) error {
	if len(pk) != ed25519.PublicKeySize {
		return errorsmod.Wrapf(ErrInvalidPubKey, "%s: %d bytes, want %d", field, len(pk), ed25519.PublicKeySize)
	}
	return nil
}

// ValidatePoolURL checks a pool URL as Chia does: https (http only for loopback), a host, lowercase,
// no trailing slash, at most MaxPoolURLLength bytes.
func ValidatePoolURL(s string) error {
	if s == "" || len(s) > MaxPoolURLLength {
		return errorsmod.Wrapf(ErrInvalidPoolURL, "%q: 1 to %d bytes", s, MaxPoolURLLength)
	}
	u, err := url.Parse(s)
	if err != nil {
		return errorsmod.Wrapf(ErrInvalidPoolURL, "%q: %v", s, err)
	}
	loopback := u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1"
	if u.Host == "" || !(u.Scheme == "https" || (u.Scheme == "http" && loopback)) {
		return errorsmod.Wrapf(ErrInvalidPoolURL, "%q: want https://host[:port][/path]", s)
	}
	if strings.ToLower(s) != s || strings.HasSuffix(s, "/") || u.RawQuery != "" || u.Fragment != "" {
		return errorsmod.Wrapf(ErrInvalidPoolURL, "%q: lowercase, no trailing slash, no query", s)
	}
	return nil
}
