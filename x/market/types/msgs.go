package types

import (
	errorsmod "cosmossdk.io/errors"
	sdkmath "cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// DeploymentHashLen is the length of a deployment hash (SHA-256).
const DeploymentHashLen = 32

func validAddress(field, addr string) error {
	if _, err := sdk.AccAddressFromBech32(addr); err != nil {
		return errorsmod.Wrapf(ErrInvalidAddress, "%s %q: %v", field, addr, err)
	}
	return nil
}

func validPositiveCoin(c sdk.Coin) error {
	if err := c.Validate(); err != nil {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s: %v", c, err)
	}
	if !c.IsPositive() {
		return errorsmod.Wrapf(ErrInvalidAmount, "%s must be positive", c)
	}
	return nil
}

// ValidateDeployment checks a deployment's hash length and data size (maxData from params; 0
// skips the size check for stateless validation).
func ValidateDeployment(hash []byte, data string, maxData uint32) error {
	if len(hash) != DeploymentHashLen {
		return errorsmod.Wrapf(ErrInvalidDeployment, "hash is %d bytes, want %d", len(hash), DeploymentHashLen)
	}
	if maxData > 0 && len(data) > int(maxData) {
		return errorsmod.Wrapf(ErrInvalidDeployment, "data is %d bytes, limit %d", len(data), maxData)
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgDeposit) ValidateBasic() error {
	if err := validAddress("tenant", m.Tenant); err != nil {
		return err
	}
	return validPositiveCoin(m.Amount)
}

// ValidateBasic checks the message without state.
func (m *MsgWithdraw) ValidateBasic() error {
	if err := validAddress("tenant", m.Tenant); err != nil {
		return err
	}
	return validPositiveCoin(m.Amount)
}

// ValidateBasic checks the message without state.
func (m *MsgBook) ValidateBasic() error {
	if err := validAddress("tenant", m.Tenant); err != nil {
		return err
	}
	if m.OfferId == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "offer id must be set")
	}
	if m.Units == 0 {
		return errorsmod.Wrap(ErrInvalidAmount, "units must be positive")
	}
	if m.Units > 1_000_000 {
		return errorsmod.Wrapf(ErrInvalidAmount, "%d units is more than any offer holds", m.Units)
	}
	if m.MaxPrice != "" {
		p, err := sdkmath.LegacyNewDecFromStr(m.MaxPrice)
		if err != nil || !p.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidAmount, "max price %q must be a positive decimal", m.MaxPrice)
		}
	}
	return ValidateDeployment(m.DeploymentHash, m.DeploymentData, 64*1024)
}

// ValidateBasic checks the message without state.
func (m *MsgReportDeployment) ValidateBasic() error {
	if err := validAddress("node account", m.NodeAccount); err != nil {
		return err
	}
	if m.LeaseId == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "lease id must be set")
	}
	if m.Result != DEPLOYMENT_RESULT_DEPLOYED && m.Result != DEPLOYMENT_RESULT_FAILED {
		return errorsmod.Wrapf(ErrInvalidRequest, "result %s must be deployed or failed", m.Result)
	}
	if len(m.Info) > 1024 {
		return errorsmod.Wrapf(ErrInvalidRequest, "info is %d bytes, limit 1024", len(m.Info))
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgUpdateDeployment) ValidateBasic() error {
	if err := validAddress("tenant", m.Tenant); err != nil {
		return err
	}
	if m.LeaseId == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "lease id must be set")
	}
	return ValidateDeployment(m.DeploymentHash, m.DeploymentData, 64*1024)
}

// ValidateBasic checks the message without state.
func (m *MsgClaim) ValidateBasic() error {
	if err := validAddress("sender", m.Sender); err != nil {
		return err
	}
	if m.LeaseId == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "lease id must be set")
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgClaimProvider) ValidateBasic() error {
	if err := validAddress("sender", m.Sender); err != nil {
		return err
	}
	return validAddress("provider", m.Provider)
}

// ValidateBasic checks the message without state.
func (m *MsgCancelLease) ValidateBasic() error {
	if err := validAddress("tenant", m.Tenant); err != nil {
		return err
	}
	if m.LeaseId == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "lease id must be set")
	}
	switch m.Reason {
	case ReasonTenantDone:
	case ReasonProviderMisbehaviour:
		if m.Report == "" {
			return errorsmod.Wrap(ErrInvalidReason, "reason 101 needs a report")
		}
	default:
		return errorsmod.Wrapf(ErrInvalidReason, "tenant close reason %d: use 100 (done) or 101 (provider misbehaviour)", m.Reason)
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgCloseLease) ValidateBasic() error {
	if err := validAddress("signer", m.Signer); err != nil {
		return err
	}
	if m.LeaseId == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "lease id must be set")
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgGovCloseLease) ValidateBasic() error {
	if err := validAddress("authority", m.Authority); err != nil {
		return err
	}
	if m.LeaseId == 0 {
		return errorsmod.Wrap(ErrInvalidRequest, "lease id must be set")
	}
	return nil
}

// ValidateBasic checks the message without state.
func (m *MsgUpdateParams) ValidateBasic() error {
	if err := validAddress("authority", m.Authority); err != nil {
		return err
	}
	return m.Params.Validate()
}
