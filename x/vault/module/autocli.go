package module

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/guild-network/guild/x/vault/types"
)

// AutoCLIOptions describes the `guildd query vault …` and `guildd tx vault …` commands.
// Message-typed fields (terms, governance, proposal content) are flags that take JSON; integer
// amounts in that JSON are strings ("1000000"). The signer of each message is --from.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	id := func(f string) []*autocliv1.PositionalArgDescriptor {
		return []*autocliv1.PositionalArgDescriptor{{ProtoField: f}}
	}
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "show the parameters"},
				{RpcMethod: "Vault", Use: "vault [id]", Short: "show a vault with its principal assets and balance, as of now", PositionalArgs: id("id")},
				{RpcMethod: "Vaults", Use: "vaults", Short: "list vaults"},
				{RpcMethod: "Position", Use: "position [id]", Short: "show a position: shares, owner (x/nft), claimable rewards, value", PositionalArgs: id("id")},
				{RpcMethod: "Positions", Use: "positions [vault-id]", Short: "list a vault's positions", PositionalArgs: id("vault_id")},
				{
					RpcMethod: "OwnerPositions", Use: "owner-positions [vault-id] [owner]", Short: "list the positions an address owns in a vault",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vault_id"}, {ProtoField: "owner"}},
				},
				{RpcMethod: "Pledges", Use: "pledges [vault-id]", Short: "list a vault's pledges by node", PositionalArgs: id("vault_id")},
				{RpcMethod: "Proposal", Use: "proposal [id]", Short: "show a vault proposal", PositionalArgs: id("id")},
				{RpcMethod: "Proposals", Use: "proposals [vault-id]", Short: "list a vault's proposals", PositionalArgs: id("vault_id")},
				{RpcMethod: "Votes", Use: "votes [proposal-id]", Short: "list a proposal's votes", PositionalArgs: id("proposal_id")},
				{
					RpcMethod: "VoteWeight", Use: "vote-weight [proposal-id] [position-id]",
					Short:          "what a position's vote on a proposal weighs (its shares at the start), and whether it can vote",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "proposal_id"}, {ProtoField: "position_id"}},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "CreateVault", Use: "create [provider]",
					Short: "create a vault for a provider you own or operate (--terms and --governance JSON)",
					Example: `guildd tx vault create guild1… --terms '{"operator_fee_bps":1000,"min_deposit":"1000000","deposit_cap":"1000000000000",` +
						`"lock_period":"86400","early_exit_fee_bps":500,"liquidity_reserve_bps":2000}' ` +
						`--governance '{"quorum_bps":3000,"threshold_bps":5000,"voting_period":"86400"}' --from provider`,
					PositionalArgs: id("provider"),
				},
				{
					RpcMethod: "AcceptCustody", Use: "accept-custody [vault-id]",
					Short:          "take the provider into custody (after its owner ran `tx provider propose-owner <provider> <vault account>`)",
					PositionalArgs: id("vault_id"),
				},
				{
					RpcMethod: "Deposit", Use: "deposit [vault-id] [amount]", Short: "deposit ugld; mints a position token to you",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vault_id"}, {ProtoField: "amount"}},
				},
				{
					RpcMethod: "Harvest", Use: "harvest [vault-id]", Short: "book the vault's new income as reward (anyone; --claim-market also claims market earnings)",
					PositionalArgs: id("vault_id"),
				},
				{RpcMethod: "Claim", Use: "claim [position-id]", Short: "claim a position's rewards (the token's owner)", PositionalArgs: id("position_id")},
				{
					RpcMethod: "Exit", Use: "exit [position-id] [shares]", Short: "burn shares (0: all) for principal (the token's owner)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "position_id"}, {ProtoField: "shares"}},
				},
				{
					RpcMethod: "Pledge", Use: "pledge [vault-id] [node-id] [amount]", Short: "move liquid principal into a node bond (operator)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vault_id"}, {ProtoField: "node_id"}, {ProtoField: "amount"}},
				},
				{
					RpcMethod: "Unpledge", Use: "unpledge [vault-id] [node-id] [amount]", Short: "withdraw pledged principal from an idle node (operator)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "vault_id"}, {ProtoField: "node_id"}, {ProtoField: "amount"}},
				},
				{
					RpcMethod: "SubmitProposal", Use: "propose [position-id]",
					Short: "open a vault proposal as a position's owner (--content JSON)",
					Example: `guildd tx vault propose 1 --content '{"kind":"PROPOSAL_KIND_RELEASE_CUSTODY","address":"guild1…"}' --from investor` + "\n" +
						`kinds: PROPOSAL_KIND_UPDATE_TERMS (terms), PROPOSAL_KIND_CHANGE_OPERATOR (address), PROPOSAL_KIND_SET_STRATEGY (strategy, strategy_version), ` +
						`PROPOSAL_KIND_RELEASE_CUSTODY (address), PROPOSAL_KIND_PROVIDER_SET_OPERATOR (address), PROPOSAL_KIND_PROVIDER_WITHDRAW_BOND (node_id, amount)`,
					PositionalArgs: id("position_id"),
				},
				{
					RpcMethod: "Vote", Use: "vote [proposal-id] [position-id] [yes]", Short: "vote with a position you own (yes: true or false)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "proposal_id"}, {ProtoField: "position_id"}, {ProtoField: "yes"}},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // the chain's authority only
			},
		},
	}
}
