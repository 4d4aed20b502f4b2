package types

import (
	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Every message implements sdk.HasValidateBasic: the baseapp (and the message router, for
// messages nested in authz or gov) runs these stateless checks before the handler. The handler
// runs them again so that the message server is correct on its own, then the stateful checks.
var (
	_ sdk.HasValidateBasic = (*MsgRegisterProvider)(nil)
	_ sdk.HasValidateBasic = (*MsgUpdateProvider)(nil)
	_ sdk.HasValidateBasic = (*MsgProposeOwner)(nil)
	_ sdk.HasValidateBasic = (*MsgAcceptOwner)(nil)
	_ sdk.HasValidateBasic = (*MsgSetBeneficiary)(nil)
	_ sdk.HasValidateBasic = (*MsgSetOperator)(nil)
	_ sdk.HasValidateBasic = (*MsgAddNode)(nil)
	_ sdk.HasValidateBasic = (*MsgUpdateNode)(nil)
	_ sdk.HasValidateBasic = (*MsgRemoveNode)(nil)
	_ sdk.HasValidateBasic = (*MsgDepositBond)(nil)
	_ sdk.HasValidateBasic = (*MsgWithdrawBond)(nil)
	_ sdk.HasValidateBasic = (*MsgHeartbeat)(nil)
	_ sdk.HasValidateBasic = (*MsgAddOffer)(nil)
	_ sdk.HasValidateBasic = (*MsgUpdateOffer)(nil)
	_ sdk.HasValidateBasic = (*MsgRemoveOffer)(nil)
	_ sdk.HasValidateBasic = (*MsgUpdateParams)(nil)
)

// ValidateBasic checks the creator and the metadata (the attribute count against the hard
// limit; the keeper checks it against the max_attributes parameter).
func (m *MsgRegisterProvider) ValidateBasic() error {
	if err := ValidateAddress("creator", m.Creator); err != nil {
		return err
	}
	return ValidateMetadata(m.Moniker, m.HostUri, m.Attributes, MaxAttributesLimit)
}

// ValidateBasic checks the addresses and the metadata.
func (m *MsgUpdateProvider) ValidateBasic() error {
	if err := validateAddresses("signer", m.Signer, "provider", m.Provider); err != nil {
		return err
	}
	return ValidateMetadata(m.Moniker, m.HostUri, m.Attributes, MaxAttributesLimit)
}

// ValidateBasic checks the addresses; an empty new_owner cancels a proposal.
func (m *MsgProposeOwner) ValidateBasic() error {
	if err := validateAddresses("owner", m.Owner, "provider", m.Provider); err != nil {
		return err
	}
	if m.NewOwner == "" {
		return nil
	}
	if err := ValidateAddress("new_owner", m.NewOwner); err != nil {
		return err
	}
	if m.NewOwner == m.Owner {
		return errorsmod.Wrap(ErrInvalidAddress, "new_owner is already the owner")
	}
	return nil
}

// ValidateBasic checks the addresses.
func (m *MsgAcceptOwner) ValidateBasic() error {
	return validateAddresses("new_owner", m.NewOwner, "provider", m.Provider)
}

// ValidateBasic checks the addresses.
func (m *MsgSetBeneficiary) ValidateBasic() error {
	return validateAddresses("owner", m.Owner, "provider", m.Provider, "beneficiary", m.Beneficiary)
}

// ValidateBasic checks the addresses.
func (m *MsgSetOperator) ValidateBasic() error {
	return validateAddresses("owner", m.Owner, "provider", m.Provider, "operator", m.Operator)
}

// ValidateBasic checks the addresses, the key length, that the capacity is not empty and the
// bond coin (which may be zero).
func (m *MsgAddNode) ValidateBasic() error {
	if err := validateAddresses("signer", m.Signer, "provider", m.Provider); err != nil {
		return err
	}
	if _, err := NodeAccount(m.PubKey); err != nil {
		return err
	}
	if m.Capacity.IsZero() {
		return errorsmod.Wrap(ErrInvalidResources, "capacity is empty")
	}
	return ValidateBondCoin(m.Bond)
}

// ValidateBasic checks the signer, the node id and that something changes: an all-zero capacity
// keeps the capacity, an unspecified status keeps the status.
func (m *MsgUpdateNode) ValidateBasic() error {
	if err := ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	if err := validateID("node", m.NodeId); err != nil {
		return err
	}
	if m.Status != NODE_STATUS_UNSPECIFIED && !IsValidNodeStatus(m.Status) {
		return errorsmod.Wrapf(ErrInvalidStatus, "status %d", int32(m.Status))
	}
	if m.Capacity.IsZero() && m.Status == NODE_STATUS_UNSPECIFIED {
		return errorsmod.Wrap(ErrNoChange, "set a capacity, a status or both")
	}
	return nil
}

// ValidateBasic checks the signer and the node id.
func (m *MsgRemoveNode) ValidateBasic() error {
	if err := ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	return validateID("node", m.NodeId)
}

// ValidateBasic checks the sender, the node id and that the amount is positive.
func (m *MsgDepositBond) ValidateBasic() error {
	if err := ValidateAddress("sender", m.Sender); err != nil {
		return err
	}
	if err := validateID("node", m.NodeId); err != nil {
		return err
	}
	return ValidatePositiveCoin(m.Amount)
}

// ValidateBasic checks the owner, the node id and that the amount is positive.
func (m *MsgWithdrawBond) ValidateBasic() error {
	if err := ValidateAddress("owner", m.Owner); err != nil {
		return err
	}
	if err := validateID("node", m.NodeId); err != nil {
		return err
	}
	return ValidatePositiveCoin(m.Amount)
}

// ValidateBasic checks the node account and the node id.
func (m *MsgHeartbeat) ValidateBasic() error {
	if err := ValidateAddress("node_account", m.NodeAccount); err != nil {
		return err
	}
	return validateID("node", m.NodeId)
}

// ValidateBasic checks the signer, the node id, the kind, that a unit has resources, the price
// and that at least one unit is offered.
func (m *MsgAddOffer) ValidateBasic() error {
	if err := ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	if err := validateID("node", m.NodeId); err != nil {
		return err
	}
	if !IsValidOfferKind(m.Kind) {
		return errorsmod.Wrapf(ErrInvalidOfferKind, "kind %d", int32(m.Kind))
	}
	if err := ValidateOfferResources(m.Resources); err != nil {
		return err
	}
	if err := ValidatePrice(m.Price); err != nil {
		return err
	}
	if m.Units == 0 {
		return errorsmod.Wrap(ErrInvalidUnits, "offer at least one unit")
	}
	return nil
}

// ValidateBasic checks the signer, the offer id, the price and that at least one unit is offered.
func (m *MsgUpdateOffer) ValidateBasic() error {
	if err := ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	if err := validateID("offer", m.OfferId); err != nil {
		return err
	}
	if err := ValidatePrice(m.Price); err != nil {
		return err
	}
	if m.UnitsTotal == 0 {
		return errorsmod.Wrap(ErrInvalidUnits, "units_total must be at least 1 (deactivate the offer instead)")
	}
	return nil
}

// ValidateBasic checks the signer and the offer id.
func (m *MsgRemoveOffer) ValidateBasic() error {
	if err := ValidateAddress("signer", m.Signer); err != nil {
		return err
	}
	return validateID("offer", m.OfferId)
}

// ValidateBasic checks the authority's address and the parameters.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := ValidateAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}

// validateAddresses checks (field, address) pairs.
func validateAddresses(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := ValidateAddress(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func validateID(what string, id uint64) error {
	if id == 0 {
		return errorsmod.Wrapf(ErrInvalidID, "%s id 0 (ids start at 1)", what)
	}
	return nil
}
