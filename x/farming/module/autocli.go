package module

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/guild-network/guild/x/farming/types"
)

// AutoCLIOptions describes the `guildd query farming …` and `guildd tx farming …` commands.
// Bytes (public keys) take hex or base64. The signer of each message is the --from account.
// Proofs are submitted by `guildd farmer run`, which signs them with the plot key; submit-proof
// is also available here for scripts.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "show the parameters"},
				{RpcMethod: "State", Use: "state", Short: "show the difficulty, epoch counters and reward totals"},
				{RpcMethod: "LatestSignagePoint", Use: "latest-signage-point", Short: "show the newest signage point"},
				{
					RpcMethod: "SignagePoint", Use: "signage-point [height]", Short: "show a signage point and its best proof",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "height"}},
				},
				{RpcMethod: "SignagePoints", Use: "signage-points", Short: "list the kept signage points, newest first"},
				{
					RpcMethod: "PoolContract", Use: "pool-contract [id]", Short: "show a pool contract",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{RpcMethod: "PoolContracts", Use: "pool-contracts", Short: "list pool contracts"},
				{
					RpcMethod: "PoolContractsByOwner", Use: "pool-contracts-by-owner [owner]", Short: "list an owner's pool contracts",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner"}},
				},
				{
					RpcMethod: "PoolContractsByTarget", Use: "pool-contracts-by-target [target]",
					Short:          "list the pool contracts farming to a target (a pool's members)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "target"}},
				},
				{
					RpcMethod: "PlotID", Use: "plot-id [pool-contract-id] [plot-public-key-hex]",
					Short: "derive a plot id from a pool contract id and an ed25519 plot public key",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "pool_contract_id"}, {ProtoField: "plot_public_key"},
					},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "CreatePoolContract", Use: "create-pool-contract [owner-public-key]",
					Short:   "create a self-pooling pool contract owned by --from (owner key: 32-byte ed25519, hex or base64)",
					Example: "guildd tx farming create-pool-contract 3b6a27bc…(32 bytes hex) --from farmer",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "owner_public_key"}},
				},
				{
					RpcMethod: "JoinPool", Use: "join-pool [pool-contract-id] [target] [pool-url] [relative-lock]",
					Short:   "farm a self-pooling contract to a pool (owner only); the lock is in blocks",
					Example: "guildd tx farming join-pool 1 guild1pool… https://pool.example.org 100 --from farmer",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "pool_contract_id"}, {ProtoField: "target"}, {ProtoField: "pool_url"}, {ProtoField: "relative_lock"},
					},
				},
				{
					RpcMethod: "LeavePool", Use: "leave-pool [pool-contract-id]",
					Short:          "leave the pool: the pool keeps receiving rewards for its relative lock, then self-pooling (owner only)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "pool_contract_id"}},
				},
				{
					RpcMethod: "Absorb", Use: "absorb [pool-contract-id] [target]",
					Short:          "move a pool contract's balance to its current target (anyone)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "pool_contract_id"}, {ProtoField: "target"}},
				},
				{
					RpcMethod: "SubmitProof", Use: "submit-proof [sp-height] [plot-public-key] [pool-contract-id] [k] [proof] [reward-address] [signature]",
					Short: "submit a proof of space signed by the plot key (the farmer does this)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "sp_height"}, {ProtoField: "plot_public_key"}, {ProtoField: "pool_contract_id"},
						{ProtoField: "k"}, {ProtoField: "proof"}, {ProtoField: "reward_address"}, {ProtoField: "signature"},
					},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // governance only
			},
		},
	}
}
