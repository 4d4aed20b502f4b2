package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the messages' amino names for legacy JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgDeposit{}, "guild/market/MsgDeposit")
	legacy.RegisterAminoMsg(cdc, &MsgWithdraw{}, "guild/market/MsgWithdraw")
	legacy.RegisterAminoMsg(cdc, &MsgBook{}, "guild/market/MsgBook")
	legacy.RegisterAminoMsg(cdc, &MsgReportDeployment{}, "guild/market/MsgReportDeployment")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateDeployment{}, "guild/market/MsgUpdateDeployment")
	legacy.RegisterAminoMsg(cdc, &MsgClaim{}, "guild/market/MsgClaim")
	legacy.RegisterAminoMsg(cdc, &MsgClaimProvider{}, "guild/market/MsgClaimProvider")
	legacy.RegisterAminoMsg(cdc, &MsgCancelLease{}, "guild/market/MsgCancelLease")
	legacy.RegisterAminoMsg(cdc, &MsgCloseLease{}, "guild/market/MsgCloseLease")
	legacy.RegisterAminoMsg(cdc, &MsgGovCloseLease{}, "guild/market/MsgGovCloseLease")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "guild/market/MsgUpdateParams")
}

// RegisterInterfaces registers the messages with the interface registry.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgDeposit{}, &MsgWithdraw{}, &MsgBook{}, &MsgReportDeployment{}, &MsgUpdateDeployment{},
		&MsgClaim{}, &MsgClaimProvider{}, &MsgCancelLease{}, &MsgCloseLease{}, &MsgGovCloseLease{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
