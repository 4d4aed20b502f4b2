package module

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/guild-network/guild/x/provider/types"
)

// AutoCLIOptions describes the `guildd query provider …` and `guildd tx provider …` commands.
// Message-typed fields (capacity, resources, attributes) are flags that take JSON, coins and
// decimal coins take the usual "100ugld" / "0.5uusdc" form, enums take their short names
// (online, standby, offline; vm, volume) and bytes take hex or base64. The signer of each
// message is the --from account.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "show the parameters"},
				{
					RpcMethod: "Provider", Use: "provider [address]", Short: "show a provider and its score",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{RpcMethod: "Providers", Use: "providers", Short: "list providers"},
				{
					RpcMethod: "Score", Use: "score [address]", Short: "show a provider's reputation score and counters",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "address"}},
				},
				{
					RpcMethod: "Node", Use: "node [id]", Short: "show a node and its effective status",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Nodes", Use: "nodes", Short: "list nodes, all or one provider's (--provider)",
					FlagOptions: map[string]*autocliv1.FlagOptions{"provider": {Usage: "only this provider's nodes"}},
				},
				{
					RpcMethod: "Offer", Use: "offer [id]", Short: "show an offer",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Offers", Use: "offers", Short: "list offers, all or one provider's (--provider)",
					FlagOptions: map[string]*autocliv1.FlagOptions{"provider": {Usage: "only this provider's offers"}},
				},
				{
					RpcMethod: "AvailableOffers", Use: "available-offers",
					Short: "list offers that can be booked now, filtered",
					Long: "List active offers with free units on online, bonded nodes with room for a unit. " +
						"Filters: --kind (vm or volume), --min-cpu-milli, --min-memory-bytes, --min-storage-bytes, " +
						"--min-gpus (per unit), --denom with --max-price (a decimal price per unit per second), --min-score (0…1000).",
					Example: "guildd query provider available-offers --kind vm --min-cpu-milli 2000 --denom uusdc --max-price 0.002",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"kind":              {Usage: "only offers of this kind: vm or volume (OFFER_KIND_VM, OFFER_KIND_VOLUME)"},
						"min_cpu_milli":     {Usage: "at least this much CPU per unit, in thousandths of a core"},
						"min_memory_bytes":  {Usage: "at least this much memory per unit, in bytes"},
						"min_storage_bytes": {Usage: "at least this much storage per unit, in bytes"},
						"min_gpus":          {Usage: "at least this many GPUs per unit"},
						"max_price":         {Usage: "at most this decimal price per unit per second, in --denom"},
						"denom":             {Usage: "only offers priced in this denom (needed with --max-price)"},
						"min_score":         {Usage: "only providers with at least this reputation score (0…1000)"},
					},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "RegisterProvider", Use: "register [moniker] [host-uri]",
					Short:   "register the --from account as a provider (owner, beneficiary and operator)",
					Example: `guildd tx provider register acme https://acme.example:8443 --attributes '[{"key":"region","value":"eu-west"}]' --from provider`,
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"attributes": {Usage: `JSON list of key/value attributes, e.g. '[{"key":"region","value":"eu-west"}]'`},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "moniker"}, {ProtoField: "host_uri", Optional: true},
					},
				},
				{
					RpcMethod: "UpdateProvider", Use: "update [provider] [moniker] [host-uri]",
					Short: "replace a provider's moniker, host URI and attributes (owner or operator)",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"attributes": {Usage: `JSON list of key/value attributes, e.g. '[{"key":"region","value":"eu-west"}]'`},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "provider"}, {ProtoField: "moniker"}, {ProtoField: "host_uri", Optional: true},
					},
				},
				{
					RpcMethod: "ProposeOwner", Use: "propose-owner [provider] [new-owner]",
					Short: "propose a new owner (owner only); without new-owner, cancel the proposal",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "provider"}, {ProtoField: "new_owner", Optional: true},
					},
				},
				{
					RpcMethod: "AcceptOwner", Use: "accept-owner [provider]",
					Short:          "become the owner of a provider (the proposed owner only)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "provider"}},
				},
				{
					RpcMethod: "SetBeneficiary", Use: "set-beneficiary [provider] [beneficiary]",
					Short: "change who receives the provider's payouts (owner only)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "provider"}, {ProtoField: "beneficiary"},
					},
				},
				{
					RpcMethod: "SetOperator", Use: "set-operator [provider] [operator]",
					Short: "change who manages nodes and offers (owner only)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "provider"}, {ProtoField: "operator"},
					},
				},
				{
					RpcMethod: "AddNode", Use: "add-node [provider] [pub-key-hex-or-base64] [bond]",
					Short:   "add a node with its ed25519 key, capacity (--capacity JSON) and bond paid by --from",
					Example: `guildd tx provider add-node guild1… 3b6a27bc…(32 bytes hex) 5800000ugld --capacity '{"cpu_milli":4000,"memory_bytes":8589934592,"storage_bytes":107374182400}' --from provider`,
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"capacity": {Usage: `the node's capacity as JSON: '{"cpu_milli":4000,"memory_bytes":8589934592,"storage_bytes":107374182400,"gpus":0}'`},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "provider"}, {ProtoField: "pub_key"}, {ProtoField: "bond"},
					},
				},
				{
					RpcMethod: "UpdateNode", Use: "update-node [node-id]",
					Short: "change a node's capacity (--capacity JSON, not below reserved) and/or status (--status online|standby|offline)",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"capacity": {Usage: `the node's new capacity as JSON, e.g. '{"cpu_milli":8000,"memory_bytes":17179869184,"storage_bytes":214748364800}'`},
						"status":   {Usage: "the node's new status: online, standby or offline (NODE_STATUS_ONLINE…)"},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "node_id"}},
				},
				{
					RpcMethod: "RemoveNode", Use: "remove-node [node-id]",
					Short:          "remove an idle node and its offers; the bond returns to the owner",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "node_id"}},
				},
				{
					RpcMethod: "DepositBond", Use: "deposit-bond [node-id] [amount]",
					Short: "add to a node's bond (anyone)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "node_id"}, {ProtoField: "amount"},
					},
				},
				{
					RpcMethod: "WithdrawBond", Use: "withdraw-bond [node-id] [amount]",
					Short: "take bond back from a node without live leases (owner only)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "node_id"}, {ProtoField: "amount"},
					},
				},
				{
					RpcMethod: "Heartbeat", Use: "heartbeat [node-id]",
					Short:          "record that a node is alive (signed by the node's own key)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "node_id"}},
				},
				{
					RpcMethod: "AddOffer", Use: "add-offer [node-id] [kind] [price] [units]",
					Short:   "offer units of a node (kind vm or volume; --resources JSON of one unit; price per unit per second)",
					Example: `guildd tx provider add-offer 1 vm 0.001uusdc 4 --resources '{"cpu_milli":1000,"memory_bytes":2147483648}' --from provider`,
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"resources": {Usage: `the resources of one unit as JSON, e.g. '{"cpu_milli":1000,"memory_bytes":2147483648,"storage_bytes":10737418240}'`},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "node_id"}, {ProtoField: "kind"}, {ProtoField: "price"}, {ProtoField: "units"},
					},
				},
				{
					RpcMethod: "UpdateOffer", Use: "update-offer [offer-id] [price] [units-total] [active]",
					Short:   "replace an offer's price (new bookings only), total units (not below booked) and active flag",
					Example: "guildd tx provider update-offer 1 0.0012uusdc 6 true --from provider",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "offer_id"}, {ProtoField: "price"}, {ProtoField: "units_total"}, {ProtoField: "active"},
					},
				},
				{
					RpcMethod: "RemoveOffer", Use: "remove-offer [offer-id]",
					Short:          "delete an offer without booked units",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "offer_id"}},
				},
				{RpcMethod: "UpdateParams", Skip: true}, // governance only
			},
		},
	}
}
