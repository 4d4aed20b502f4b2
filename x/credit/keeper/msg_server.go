package keeper

import "github.com/guild-network/guild/x/credit/types"

// msgServer implements types.MsgServer: each handler (msg_server_<verb>.go) runs the message's
// ValidateBasic, calls one keeper method and builds the response.
type msgServer struct{ Keeper }

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the message server over k.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k} }
