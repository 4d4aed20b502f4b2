// Package encoding builds Guild's codecs — the interface registry, the protobuf and amino codecs
// and the tx configuration — from the module basics, without constructing an app. Daemons,
// clients and the CLI use it; the chain's app registers the same basics (a test checks that
// both register the same types), so a transaction built here is one the chain decodes.
package encoding

import (
	"github.com/cosmos/gogoproto/proto"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/codec/address"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	nftmodule "github.com/cosmos/cosmos-sdk/contrib/x/nft/module"
	"github.com/cosmos/cosmos-sdk/std"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/auth"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
	"github.com/cosmos/cosmos-sdk/x/bank"
	"github.com/cosmos/cosmos-sdk/x/consensus"
	distr "github.com/cosmos/cosmos-sdk/x/distribution"
	feegrantmodule "github.com/cosmos/cosmos-sdk/x/feegrant/module"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
	"github.com/cosmos/cosmos-sdk/x/gov"
	govclient "github.com/cosmos/cosmos-sdk/x/gov/client"
	"github.com/cosmos/cosmos-sdk/x/slashing"
	"github.com/cosmos/cosmos-sdk/x/staking"
	"github.com/cosmos/cosmos-sdk/x/tx/signing"
	"github.com/cosmos/cosmos-sdk/x/upgrade"

	creditmodule "github.com/guild-network/guild/x/credit/module"
	farmingmodule "github.com/guild-network/guild/x/farming/module"
	marketmodule "github.com/guild-network/guild/x/market/module"
	providermodule "github.com/guild-network/guild/x/provider/module"
	vaultmodule "github.com/guild-network/guild/x/vault/module"
)

// Bech32Prefix is Guild's account address prefix (guild1…); it equals app.Bech32Prefix.
const Bech32Prefix = "guild"

// BondDenom is the native token; it equals app.BondDenom.
const BondDenom = "ugld"

// ModuleBasics returns the basics of every module of the chain, in the app's genesis order.
// Adding a module to the app means adding its basic here (TestSameTypesAsTheApp fails
// otherwise).
func ModuleBasics() module.BasicManager {
	return module.NewBasicManager(
		auth.AppModuleBasic{},
		bank.AppModuleBasic{},
		distr.AppModuleBasic{},
		staking.AppModuleBasic{},
		slashing.AppModuleBasic{},
		gov.NewAppModuleBasic([]govclient.ProposalHandler{}),
		genutil.NewAppModuleBasic(genutiltypes.DefaultMessageValidator),
		upgrade.AppModuleBasic{},
		consensus.AppModuleBasic{},
		feegrantmodule.AppModuleBasic{},
		nftmodule.AppModuleBasic{},
		providermodule.AppModuleBasic{},
		// x/market has no separate AppModuleBasic: its zero AppModule is one (the basic
		// methods — name, codecs, genesis defaults and validation, gateway — use no keeper).
		marketmodule.AppModule{},
		farmingmodule.AppModuleBasic{},
		vaultmodule.AppModuleBasic{},
		creditmodule.AppModuleBasic{},
	)
}

// Config bundles the codecs that the chain and its clients share.
type Config struct {
	InterfaceRegistry codectypes.InterfaceRegistry
	Codec             codec.Codec
	TxConfig          client.TxConfig
	Amino             *codec.LegacyAmino
}

// MakeConfig sets Guild's address prefixes and returns codecs with the standard types and every
// module basic's types registered.
func MakeConfig() Config {
	SetAddressPrefixes()
	registry, err := codectypes.NewInterfaceRegistryWithOptions(codectypes.InterfaceRegistryOptions{
		ProtoFiles: proto.HybridResolver,
		SigningOptions: signing.Options{
			AddressCodec:          address.Bech32Codec{Bech32Prefix: sdk.GetConfig().GetBech32AccountAddrPrefix()},
			ValidatorAddressCodec: address.Bech32Codec{Bech32Prefix: sdk.GetConfig().GetBech32ValidatorAddrPrefix()},
		},
	})
	if err != nil {
		panic(err) // static configuration; unreachable from input
	}
	cdc := codec.NewProtoCodec(registry)
	amino := codec.NewLegacyAmino()
	std.RegisterLegacyAminoCodec(amino)
	std.RegisterInterfaces(registry)
	basics := ModuleBasics()
	basics.RegisterLegacyAminoCodec(amino)
	basics.RegisterInterfaces(registry)
	return Config{
		InterfaceRegistry: registry,
		Codec:             cdc,
		TxConfig:          authtx.NewTxConfig(cdc, authtx.DefaultSignModes),
		Amino:             amino,
	}
}

// SetAddressPrefixes installs Guild's bech32 prefixes in the SDK's global configuration, as
// app.SetAddressPrefixes does; it is idempotent.
func SetAddressPrefixes() {
	cfg := sdk.GetConfig()
	if cfg.GetBech32AccountAddrPrefix() == Bech32Prefix {
		return
	}
	cfg.SetBech32PrefixForAccount(Bech32Prefix, Bech32Prefix+sdk.PrefixPublic)
	cfg.SetBech32PrefixForValidator(Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator,
		Bech32Prefix+sdk.PrefixValidator+sdk.PrefixOperator+sdk.PrefixPublic)
	cfg.SetBech32PrefixForConsensusNode(Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus,
		Bech32Prefix+sdk.PrefixValidator+sdk.PrefixConsensus+sdk.PrefixPublic)
	sdk.DefaultBondDenom = BondDenom
}
