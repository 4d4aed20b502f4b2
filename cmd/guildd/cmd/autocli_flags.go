package cmd

import (
	"context"
	"errors"
	"strings"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/spf13/cobra"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	basev1beta1 "cosmossdk.io/api/cosmos/base/v1beta1"
	"cosmossdk.io/client/v2/autocli"
	"cosmossdk.io/client/v2/autocli/flag"

	"github.com/cosmos/cosmos-sdk/client"
	sdkflags "github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// enhanceWithAutoCLI adds the autocli commands with one correction: autocli writes a DecCoin's
// amount as plain decimal text ("3"), but gogoproto's LegacyDec reads the wire string as its
// 18-decimal scaled integer, so "3uusdc" arrived on chain as 0.000000000000000003uusdc. Our
// DecCoin flag writes the scaled integer instead.
func enhanceWithAutoCLI(rootCmd *cobra.Command, opts autocli.AppOptions) error {
	files, err := gogoproto.MergedRegistry()
	if err != nil {
		return err
	}
	builder := &autocli.Builder{
		Builder: flag.Builder{
			TypeResolver:          protoregistry.GlobalTypes,
			FileResolver:          files,
			AddressCodec:          opts.AddressCodec,
			ValidatorAddressCodec: opts.ValidatorAddressCodec,
			ConsensusAddressCodec: opts.ConsensusAddressCodec,
		},
		GetClientConn: func(cmd *cobra.Command) (grpc.ClientConnInterface, error) {
			return client.GetClientQueryContext(cmd)
		},
		AddQueryConnFlags: func(c *cobra.Command) {
			sdkflags.AddQueryFlagsToCmd(c)
			sdkflags.AddKeyringFlags(c.Flags())
		},
		AddTxConnFlags: sdkflags.AddTxFlagsToCmd,
	}
	builder.DefineMessageFlagType("cosmos.base.v1beta1.DecCoin", legacyDecCoinType{})
	return opts.EnhanceRootCommandWithBuilder(rootCmd, builder)
}

type legacyDecCoinType struct{}

func (legacyDecCoinType) NewValue(*context.Context, *flag.Builder) flag.Value {
	return &legacyDecCoinValue{}
}

func (legacyDecCoinType) DefaultValue() string { return "" }

type legacyDecCoinValue struct {
	text  string
	value *basev1beta1.DecCoin
}

func (v *legacyDecCoinValue) Get(protoreflect.Value) (protoreflect.Value, error) {
	if v.value == nil {
		return protoreflect.Value{}, nil
	}
	return protoreflect.ValueOfMessage(v.value.ProtoReflect()), nil
}

func (v *legacyDecCoinValue) String() string { return v.text }

func (v *legacyDecCoinValue) Set(s string) error {
	if strings.Contains(s, ",") {
		return errors.New("a single decimal coin is expected, e.g. 0.05uusdc")
	}
	coin, err := sdk.ParseDecCoin(s)
	if err != nil {
		return err
	}
	v.text = s
	v.value = &basev1beta1.DecCoin{Denom: coin.Denom, Amount: coin.Amount.BigInt().String()}
	return nil
}

func (v *legacyDecCoinValue) Type() string { return "cosmos.base.v1beta1.DecCoin" }
