package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/x/internal/modkit"
)

// The stateless checks of each message. The keeper checks everything else before it writes.

var (
	_ sdk.Msg = &MsgCreateVault{}
	_ sdk.Msg = &MsgAcceptCustody{}
	_ sdk.Msg = &MsgDeposit{}
	_ sdk.Msg = &MsgHarvest{}
	_ sdk.Msg = &MsgClaim{}
	_ sdk.Msg = &MsgExit{}
	_ sdk.Msg = &MsgPledge{}
	_ sdk.Msg = &MsgUnpledge{}
	_ sdk.Msg = &MsgSubmitProposal{}
	_ sdk.Msg = &MsgVote{}
	_ sdk.Msg = &MsgUpdateParams{}
)

func validID(field string, id uint64) error {
	if id == 0 {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must be positive", field)
	}
	return nil
}

// ValidateBasic checks addresses; terms and governance are checked against the parameters.
func (m *MsgCreateVault) ValidateBasic() error {
	if err := modkit.ValidateAddress("operator", m.Operator); err != nil {
		return err
	}
	return modkit.ValidateAddress("provider", m.Provider)
}

// ValidateBasic checks the operator and the vault id.
func (m *MsgAcceptCustody) ValidateBasic() error {
	if err := modkit.ValidateAddress("operator", m.Operator); err != nil {
		return err
	}
	return validID("vault_id", m.VaultId)
}

// ValidateBasic checks the depositor, the vault id and that the amount is positive ugld.
func (m *MsgDeposit) ValidateBasic() error {
	if err := modkit.ValidateAddress("depositor", m.Depositor); err != nil {
		return err
	}
	if err := validID("vault_id", m.VaultId); err != nil {
		return err
	}
	return modkit.ValidatePositiveCoin("amount", m.Amount, PrincipalDenom)
}

// ValidateBasic checks the sender and the vault id.
func (m *MsgHarvest) ValidateBasic() error {
	if err := modkit.ValidateAddress("sender", m.Sender); err != nil {
		return err
	}
	return validID("vault_id", m.VaultId)
}

// ValidateBasic checks the owner and the position id.
func (m *MsgClaim) ValidateBasic() error {
	if err := modkit.ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	return validID("position_id", m.PositionId)
}

// ValidateBasic checks the owner, the position id and that shares are not negative.
func (m *MsgExit) ValidateBasic() error {
	if err := modkit.ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := validID("position_id", m.PositionId); err != nil {
		return err
	}
	if !m.Shares.IsNil() && m.Shares.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidShares, "shares %s", m.Shares)
	}
	return nil
}

func validatePledge(operator string, vaultID, nodeID uint64, amount sdk.Coin) error {
	if err := modkit.ValidateAddress("operator", operator); err != nil {
		return err
	}
	if err := validID("vault_id", vaultID); err != nil {
		return err
	}
	if err := validID("node_id", nodeID); err != nil {
		return err
	}
	return modkit.ValidatePositiveCoin("amount", amount, PrincipalDenom)
}

// ValidateBasic checks the operator, the ids and that the amount is positive ugld.
func (m *MsgPledge) ValidateBasic() error {
	return validatePledge(m.Operator, m.VaultId, m.NodeId, m.Amount)
}

// ValidateBasic checks the operator, the ids and that the amount is positive ugld.
func (m *MsgUnpledge) ValidateBasic() error {
	return validatePledge(m.Operator, m.VaultId, m.NodeId, m.Amount)
}

// ValidateBasic checks the proposer, the position and the content.
func (m *MsgSubmitProposal) ValidateBasic() error {
	if err := modkit.ValidateAddress("proposer", m.Proposer); err != nil {
		return err
	}
	if err := validID("position_id", m.PositionId); err != nil {
		return err
	}
	return m.Content.ValidateBasic()
}

// ValidateBasic checks the voter and the ids.
func (m *MsgVote) ValidateBasic() error {
	if err := modkit.ValidateAddress("voter", m.Voter); err != nil {
		return err
	}
	if err := validID("proposal_id", m.ProposalId); err != nil {
		return err
	}
	return validID("position_id", m.PositionId)
}

// ValidateBasic checks the authority's address and the parameters.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := modkit.ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
