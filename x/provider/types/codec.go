package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the messages under their amino names (the amino.name
// options of tx.proto) for amino JSON signing.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgRegisterProvider{}, "guild/provider/MsgRegisterProvider")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateProvider{}, "guild/provider/MsgUpdateProvider")
	legacy.RegisterAminoMsg(cdc, &MsgProposeOwner{}, "guild/provider/MsgProposeOwner")
	legacy.RegisterAminoMsg(cdc, &MsgAcceptOwner{}, "guild/provider/MsgAcceptOwner")
	legacy.RegisterAminoMsg(cdc, &MsgSetBeneficiary{}, "guild/provider/MsgSetBeneficiary")
	legacy.RegisterAminoMsg(cdc, &MsgSetOperator{}, "guild/provider/MsgSetOperator")
	legacy.RegisterAminoMsg(cdc, &MsgAddNode{}, "guild/provider/MsgAddNode")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateNode{}, "guild/provider/MsgUpdateNode")
	legacy.RegisterAminoMsg(cdc, &MsgRemoveNode{}, "guild/provider/MsgRemoveNode")
	legacy.RegisterAminoMsg(cdc, &MsgDepositBond{}, "guild/provider/MsgDepositBond")
	legacy.RegisterAminoMsg(cdc, &MsgWithdrawBond{}, "guild/provider/MsgWithdrawBond")
	legacy.RegisterAminoMsg(cdc, &MsgHeartbeat{}, "guild/provider/MsgHeartbeat")
	legacy.RegisterAminoMsg(cdc, &MsgAddOffer{}, "guild/provider/MsgAddOffer")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateOffer{}, "guild/provider/MsgUpdateOffer")
	legacy.RegisterAminoMsg(cdc, &MsgRemoveOffer{}, "guild/provider/MsgRemoveOffer")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "guild/provider/MsgUpdateParams")
}

// RegisterInterfaces registers the messages as sdk.Msg implementations and the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgRegisterProvider{},
		&MsgUpdateProvider{},
		&MsgProposeOwner{},
		&MsgAcceptOwner{},
		&MsgSetBeneficiary{},
		&MsgSetOperator{},
		&MsgAddNode{},
		&MsgUpdateNode{},
		&MsgRemoveNode{},
		&MsgDepositBond{},
		&MsgWithdrawBond{},
		&MsgHeartbeat{},
		&MsgAddOffer{},
		&MsgUpdateOffer{},
		&MsgRemoveOffer{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
