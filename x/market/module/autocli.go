package module

import (
	autocliv1 "cosmossdk.io/api/cosmos/autocli/v1"

	"github.com/guild-network/guild/x/market/types"
)

// AutoCLIOptions describes the market's CLI: `guildd tx market …` and `guildd query market …`.
func (AppModule) AutoCLIOptions() *autocliv1.ModuleOptions {
	return &autocliv1.ModuleOptions{
		Query: &autocliv1.ServiceCommandDescriptor{
			Service: types.Query_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{RpcMethod: "Params", Use: "params", Short: "show the market parameters"},
				{
					RpcMethod: "Account", Use: "account [tenant]",
					Short:          "show a tenant's escrow in every denom, settled to now, with funded_until",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "tenant"}},
				},
				{
					RpcMethod: "Lease", Use: "lease [id]", Short: "show a lease and what a claim would pay now",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "id"}},
				},
				{
					RpcMethod: "Leases", Use: "leases",
					Short: "list leases by --tenant, --provider or --node-id, optionally --state",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"tenant":   {Usage: "only the leases of this tenant address"},
						"provider": {Usage: "only the leases of this provider address"},
						"node_id":  {Usage: "only the leases on this node id"},
						"state":    {Usage: "only leases in this state (active or LEASE_STATE_ACTIVE; needs --tenant, --provider or --node-id)"},
					},
				},
				{RpcMethod: "Totals", Use: "totals", Short: "show the market's deposits, withdrawals, payouts and fees per denom"},
				{
					RpcMethod: "ProviderEarnings", Use: "provider-earnings [provider]",
					Short:          "show per denom what claiming all of a provider's live leases would pay its beneficiary now",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "provider"}},
				},
			},
		},
		Tx: &autocliv1.ServiceCommandDescriptor{
			Service: types.Msg_serviceDesc.ServiceName,
			RpcCommandOptions: []*autocliv1.RpcCommandOptions{
				{
					RpcMethod: "Deposit", Use: "deposit [amount]", Short: "deposit coins into your escrow (resumes paused leases)",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{
					RpcMethod: "Withdraw", Use: "withdraw [amount]", Short: "withdraw escrow, keeping your live leases covered",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "amount"}},
				},
				{
					RpcMethod: "Book", Use: "book [offer-id] [units] [deployment-hash] [deployment-data]",
					Short:   "book units of an offer; the hash is the SHA-256 of the full deployment, in hex",
					Example: `DATA='{"driver":"volume"}'; guildd tx market book 2 3 $(printf %s "$DATA" | sha256sum | cut -c1-64) "$DATA" --from tenant`,
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"max_price": {Usage: "refuse the booking if the offer's price per unit per second is above this, e.g. 0.002 (in the offer's denom); empty accepts the current price"},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "offer_id"}, {ProtoField: "units"}, {ProtoField: "deployment_hash"}, {ProtoField: "deployment_data"},
					},
				},
				{
					RpcMethod: "ReportDeployment", Use: "report-deployment [lease-id] [result]",
					Short: "report a lease deployed or failed, signed with the node's key",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"info": {Usage: "what was deployed (an id of the workload), or why the deployment failed"},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "lease_id"}, {ProtoField: "result"}},
				},
				{
					RpcMethod: "UpdateDeployment", Use: "update-deployment [lease-id] [deployment-hash] [deployment-data]",
					Short: "replace the deployment of an active lease",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{
						{ProtoField: "lease_id"}, {ProtoField: "deployment_hash"}, {ProtoField: "deployment_data"},
					},
				},
				{
					RpcMethod: "Claim", Use: "claim [lease-id]", Short: "pay a lease's earnings to its provider's beneficiary",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "lease_id"}},
				},
				{
					RpcMethod: "ClaimProvider", Use: "claim-provider [provider]",
					Short: "pay a page of a provider's leases (--start-after, --limit)",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"start_after": {Usage: "claim the provider's leases with ids above this one (the previous page's next)"},
						"limit":       {Usage: "claim at most this many leases (0: the module's page limit)"},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "provider"}},
				},
				{
					RpcMethod: "CancelLease", Use: "cancel [lease-id] [reason]",
					Short: "close your lease: reason 100 (done) or 101 (provider misbehaved; add --report)",
					FlagOptions: map[string]*autocliv1.FlagOptions{
						"report": {Usage: "with reason 101: a short account of the provider's misbehaviour (kept in the event)"},
					},
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "lease_id"}, {ProtoField: "reason"}},
				},
				{
					RpcMethod: "CloseLease", Use: "close [lease-id]",
					Short:          "give notice on a lease as its provider",
					PositionalArgs: []*autocliv1.PositionalArgDescriptor{{ProtoField: "lease_id"}},
				},
				{RpcMethod: "GovCloseLease", Skip: true},
				{RpcMethod: "UpdateParams", Skip: true},
			},
		},
	}
}
