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
	legacy.RegisterAminoMsg(cdc, &MsgDeposit{}, "guild/credit/MsgDeposit")
	legacy.RegisterAminoMsg(cdc, &MsgRedeem{}, "guild/credit/MsgRedeem")
	legacy.RegisterAminoMsg(cdc, &MsgCreateAgent{}, "guild/credit/MsgCreateAgent")
	legacy.RegisterAminoMsg(cdc, &MsgSetRequesterKey{}, "guild/credit/MsgSetRequesterKey")
	legacy.RegisterAminoMsg(cdc, &MsgAddProvider{}, "guild/credit/MsgAddProvider")
	legacy.RegisterAminoMsg(cdc, &MsgRemoveProvider{}, "guild/credit/MsgRemoveProvider")
	legacy.RegisterAminoMsg(cdc, &MsgBorrow{}, "guild/credit/MsgBorrow")
	legacy.RegisterAminoMsg(cdc, &MsgPay{}, "guild/credit/MsgPay")
	legacy.RegisterAminoMsg(cdc, &MsgWithdraw{}, "guild/credit/MsgWithdraw")
	legacy.RegisterAminoMsg(cdc, &MsgPutOnAdministration{}, "guild/credit/MsgPutOnAdministration")
	legacy.RegisterAminoMsg(cdc, &MsgSetRecovered{}, "guild/credit/MsgSetRecovered")
	legacy.RegisterAminoMsg(cdc, &MsgSetDefault{}, "guild/credit/MsgSetDefault")
	legacy.RegisterAminoMsg(cdc, &MsgUpdateParams{}, "guild/credit/MsgUpdateParams")
}

// RegisterInterfaces registers the messages as sdk.Msg implementations and the Msg service.
func RegisterInterfaces(registry codectypes.InterfaceRegistry) {
	registry.RegisterImplementations((*sdk.Msg)(nil),
		&MsgDeposit{},
		&MsgRedeem{},
		&MsgCreateAgent{},
		&MsgSetRequesterKey{},
		&MsgAddProvider{},
		&MsgRemoveProvider{},
		&MsgBorrow{},
		&MsgPay{},
		&MsgWithdraw{},
		&MsgPutOnAdministration{},
		&MsgSetRecovered{},
		&MsgSetDefault{},
		&MsgUpdateParams{},
	)
	msgservice.RegisterMsgServiceDesc(registry, &_Msg_serviceDesc)
}
