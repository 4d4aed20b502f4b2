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
	legacy.RegisterAminoMsg(cdc, &MsgSubmitProof{}, "guild/farming/MsgSubmitProof")
	legacy.RegisterAminoMsg(cdc, &MsgCreatePoolContract{}, "guild/farming/MsgCreatePoolContract")
	legacy.RegisterAminoMsg(cdc, &MsgJoinPool{}, "guild/farming/MsgJoinPool")
	legacy.RegisterAminoMsg(cdc, &MsgLeavePool{}, "guild/farming/MsgLeavePool")
	legacy.RegisterAminoMsg(cdc, &MsgAbsorb{}, "guild/farming/MsgAbsorb")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "guild/farming/MsgUpdateParams")
}

// RegisterInterfaces registers the messages as sdk.Msg implementations and the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgSubmitProof{},
		&MsgCreatePoolContract{},
		&MsgJoinPool{},
		&MsgLeavePool{},
		&MsgAbsorb{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
