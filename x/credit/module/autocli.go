package module

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/guild-network/guild/x/credit/types"
)

// AutoCLIOptions describes the `guildd query credit …` commands and the `guildd tx credit …`
// commands that need no credential. The credentialed messages have their own commands (see
// CredentialedTxCommands), which fetch the credential from an ADO (--ado URL).
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	agentArg := []*autocliv1.PositionalArgDescriptor{{ProtoField: "agent_id"}}
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "show the parameters"},
				{
					RpcMethod: "Pool", Use: "pool [denom]", Short: "show a pool: assets, share price, utilization, rate, what can be lent",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "denom"}},
				},
				{RpcMethod: "Pools", Use: "pools", Short: "list the pools"},
				{
					RpcMethod: "Agent", Use: "agent [agent-id]", Short: "show an agent, its loans, debt and DTL as the chain sees it",
					PositionalArgs: agentArg,
				},
				{RpcMethod: "Agents", Use: "agents", Short: "list agents, all or one owner's (--owner)"},
				{
					RpcMethod: "MaxBorrow", Use: "max-borrow [agent-id] [denom]",
					Short: "how much an agent could borrow now, and which limit binds (dtl, liquidity, agent_cap, state, collateral)",
					Long: "Without --collateral-value, the collateral is what the chain sees the agent hold (the ceiling " +
						"of any credential); pass the ADO's collateral_value to see the credentialed limit.",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agent_id"}, {ProtoField: "denom"}},
				},
				{
					RpcMethod: "ChainCollateral", Use: "chain-collateral [agent-id] [denom]",
					Short:          "what the chain sees an agent hold in a denom: liquid funds and its providers' bonds",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agent_id"}, {ProtoField: "denom"}},
				},
				{
					RpcMethod: "CredentialUsed", Use: "credential-used [hash-hex]", Short: "whether a credential hash was burnt",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "hash"}},
				},
				{RpcMethod: "CredentialHash", Skip: true}, // for programs: takes a whole credential
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service:              types.Msg_serviceDesc.ServiceName,
			EnhanceCustomCommand: true,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Deposit", Use: "deposit [amount]", Short: "lend to the pool of the amount's denom and receive shares",
					Example:        "guildd tx credit deposit 1000000ugld --from lender",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{
					RpcMethod: "Redeem", Use: "redeem [shares]", Short: "burn shares (credit/<denom>) for the pool's liquid funds",
					Example:        "guildd tx credit redeem 1000credit/ugld --from lender",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "shares"}},
				},
				{
					RpcMethod: "CreateAgent", Use: "create-agent [requester-key]",
					Short:          "create an agent owned by --from; requester-key is the ed25519 public key (hex or base64) that signs ADO requests",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "requester_key"}},
				},
				{
					RpcMethod: "SetRequesterKey", Use: "set-requester-key [agent-id] [requester-key]", Short: "rotate the agent's requester key (owner)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agent_id"}, {ProtoField: "requester_key"}},
				},
				{
					RpcMethod: "AddProvider", Use: "add-provider [agent-id] [provider]",
					Short: "take a provider as collateral; its owner must first propose the agent's account as owner",
					Example: "guildd tx provider propose-owner $PROVIDER $AGENT_ADDRESS --from provider\n" +
						"guildd tx credit add-provider 1 $PROVIDER --from owner",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agent_id"}, {ProtoField: "provider"}},
				},
				{
					RpcMethod: "Pay", Use: "pay [agent-id] [amount]",
					Short:          "pay an agent's debt (anyone; interest first, then principal; overpayment is not taken); --from-agent pays from the agent's account",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "agent_id"}, {ProtoField: "amount"}},
				},
				{RpcMethod: "Borrow", Skip: true},
				{RpcMethod: "Withdraw", Skip: true},
				{RpcMethod: "RemoveProvider", Skip: true},
				{RpcMethod: "SetRecovered", Skip: true},
				{RpcMethod: "PutOnAdministration", Skip: true},
				{RpcMethod: "SetDefault", Skip: true},
				{RpcMethod: "UpdateParams", Skip: true}, // governance only
			},
		},
	}
}
