package keeper

import "github.com/guild-network/guild/x/vault/types"

// msgServer implements types.MsgServer. Each handler lives in its own file
// (msg_server_<message>.go): the message's stateless checks, then one keeper call.
type msgServer struct {
	k Keeper
}

var _ types.MsgServer = msgServer{}

// NewMsgServerImpl returns the module's message server.
func NewMsgServerImpl(k Keeper) types.MsgServer { return msgServer{k: k} }
