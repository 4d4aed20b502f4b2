package types

import (
	"crypto/ed25519"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
)

// Every message implements sdk.HasValidateBasic; the handler runs it again before the keeper.
var (
	_ sdk.HasValidateBasic = (*MsgDeposit)(nil)
	_ sdk.HasValidateBasic = (*MsgRedeem)(nil)
	_ sdk.HasValidateBasic = (*MsgCreateAgent)(nil)
	_ sdk.HasValidateBasic = (*MsgSetRequesterKey)(nil)
	_ sdk.HasValidateBasic = (*MsgAddProvider)(nil)
	_ sdk.HasValidateBasic = (*MsgRemoveProvider)(nil)
	_ sdk.HasValidateBasic = (*MsgBorrow)(nil)
	_ sdk.HasValidateBasic = (*MsgPay)(nil)
	_ sdk.HasValidateBasic = (*MsgWithdraw)(nil)
	_ sdk.HasValidateBasic = (*MsgPutOnAdministration)(nil)
	_ sdk.HasValidateBasic = (*MsgSetRecovered)(nil)
	_ sdk.HasValidateBasic = (*MsgSetDefault)(nil)
	_ sdk.HasValidateBasic = (*MsgUpdateParams)(nil)
)

func validateAgentID(id uint64) error {
	if id == 0 {
		return errorsmod.Wrap(ErrAgentNotFound, "agent id 0")
	}
	return nil
}

// ValidateRequesterKey checks an ed25519 public key.
func ValidateRequesterKey(k []byte) error {
	if len(k) != ed25519.PublicKeySize {
		return errorsmod.Wrapf(ErrInvalidKey, "requester key is %d bytes, want %d (ed25519)", len(k), ed25519.PublicKeySize)
	}
	return nil
}

// ValidateBasic checks the lender and the amount.
func (m *MsgDeposit) ValidateBasic() error {
	if err := modkit.ValidateAddress("lender", m.Lender); err != nil {
		return err
	}
	return modkit.ValidatePositiveCoin("amount", m.Amount)
}

// ValidateBasic checks the lender and the shares.
func (m *MsgRedeem) ValidateBasic() error {
	if err := modkit.ValidateAddress("lender", m.Lender); err != nil {
		return err
	}
	return modkit.ValidatePositiveCoin("shares", m.Shares)
}

// ValidateBasic checks the owner, operator and key.
func (m *MsgCreateAgent) ValidateBasic() error {
	if err := modkit.ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := modkit.ValidateOptionalAddress("operator", m.Operator); err != nil {
		return err
	}
	return ValidateRequesterKey(m.RequesterKey)
}

// ValidateBasic checks the owner, agent and key.
func (m *MsgSetRequesterKey) ValidateBasic() error {
	if err := modkit.ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := validateAgentID(m.AgentId); err != nil {
		return err
	}
	return ValidateRequesterKey(m.RequesterKey)
}

// ValidateBasic checks the addresses and agent.
func (m *MsgAddProvider) ValidateBasic() error {
	if err := modkit.ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	if err := modkit.ValidateAddress("provider", m.Provider); err != nil {
		return err
	}
	return validateAgentID(m.AgentId)
}

// ValidateBasic checks the addresses and agent.
func (m *MsgRemoveProvider) ValidateBasic() error {
	if err := modkit.ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := modkit.ValidateAddress("provider", m.Provider); err != nil {
		return err
	}
	return validateAgentID(m.AgentId)
}

// ValidateBasic checks the signer, agent and amount.
func (m *MsgBorrow) ValidateBasic() error {
	if err := modkit.ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	if err := validateAgentID(m.AgentId); err != nil {
		return err
	}
	return modkit.ValidatePositiveCoin("amount", m.Amount)
}

// ValidateBasic checks the payer, agent and amount.
func (m *MsgPay) ValidateBasic() error {
	if err := modkit.ValidateAddress("payer", m.Payer); err != nil {
		return err
	}
	if err := validateAgentID(m.AgentId); err != nil {
		return err
	}
	return modkit.ValidatePositiveCoin("amount", m.Amount)
}

// ValidateBasic checks the addresses, agent and amount.
func (m *MsgWithdraw) ValidateBasic() error {
	if err := modkit.ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := modkit.ValidateAddress("recipient", m.Recipient); err != nil {
		return err
	}
	if err := validateAgentID(m.AgentId); err != nil {
		return err
	}
	return modkit.ValidatePositiveCoin("amount", m.Amount)
}

// ValidateBasic checks the signer and agent.
func (m *MsgPutOnAdministration) ValidateBasic() error {
	if err := modkit.ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	return validateAgentID(m.AgentId)
}

// ValidateBasic checks the signer and agent.
func (m *MsgSetRecovered) ValidateBasic() error {
	if err := modkit.ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	return validateAgentID(m.AgentId)
}

// ValidateBasic checks the signer and agent.
func (m *MsgSetDefault) ValidateBasic() error {
	if err := modkit.ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	return validateAgentID(m.AgentId)
}

// ValidateBasic checks the authority's address and the parameters.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := modkit.ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
