package types

import (
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/legacy"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/msgservice"
)

// RegisterLegacyAminoCodec registers the messages under their amino names.
func RegisterLegacyAminoCodec(cdc *codec.LegacyAmino) {
	legacy.RegisterAminoMsg(cdc, &MsgCreateVault{}, "guild/vault/MsgCreateVault")
	legacy.RegisterAminoMsg(cdc, &MsgAcceptCustody{}, "guild/vault/MsgAcceptCustody")
	legacy.RegisterAminoMsg(cdc, &MsgDeposit{}, "guild/vault/MsgDeposit")
	legacy.RegisterAminoMsg(cdc, &MsgHarvest{}, "guild/vault/MsgHarvest")
	legacy.RegisterAminoMsg(cdc, &MsgClaim{}, "guild/vault/MsgClaim")
	legacy.RegisterAminoMsg(cdc, &MsgExit{}, "guild/vault/MsgExit")
	legacy.RegisterAminoMsg(cdc, &MsgPledge{}, "guild/vault/MsgPledge")
	legacy.RegisterAminoMsg(cdc, &MsgUnpledge{}, "guild/vault/MsgUnpledge")
	legacy.RegisterAminoMsg(cdc, &MsgSubmitProposal{}, "guild/vault/MsgSubmitProposal")
	legacy.RegisterAminoMsg(cdc, &MsgVote{}, "guild/vault/MsgVote")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "guild/vault/MsgUpdateParams")
}

// RegisterInterfaces registers the messages as sdk.Msg implementations and the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgCreateVault{}, &MsgAcceptCustody{}, &MsgDeposit{}, &MsgHarvest{}, &MsgClaim{}, &MsgExit{},
		&MsgPledge{}, &MsgUnpledge{}, &MsgSubmitProposal{}, &MsgVote{}, &MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
