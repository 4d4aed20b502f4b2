package modkit

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"github.com/cosmos/gogoproto/proto"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// BlockTime is the current block's header time in unix seconds.
func BlockTime(ctx context.Context) int64 {
	return sdk.UnwrapSDKContext(ctx).BlockTime().Unix()
}

// BlockHeight is the current block's height.
func BlockHeight(ctx context.Context) int64 {
	return sdk.UnwrapSDKContext(ctx).BlockHeight()
}

// ChainID is the chain id from the block header.
func ChainID(ctx context.Context) string {
	return sdk.UnwrapSDKContext(ctx).ChainID()
}

// Emit emits one typed event: what the SDK's EventManager.EmitTypedEvent emits, byte for byte,
// encoded by TypedEventToEvent.
func Emit(ctx context.Context, ev proto.Message) error {
	e, err := TypedEventToEvent(ev)
	if err != nil {
		return err
	}
	sdk.UnwrapSDKContext(ctx).EventManager().EmitEvent(e)
	return nil
}

// EmitAll emits typed events in order and stops at the first error.
func EmitAll(ctx context.Context, evs ...proto.Message) error {
	for _, ev := range evs {
		if err := Emit(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}

// NextID draws the next id of a sequence. Ids start at 1, also in a store that genesis never
// initialised (a Sequence starts at 0, which is never handed out).
func NextID(ctx context.Context, seq collections.Sequence) (uint64, error) {
	id, err := seq.Next(ctx)
	if err != nil {
		return 0, err
	}
	if id == 0 {
		return seq.Next(ctx)
	}
	return id, nil
}

// CheckAuthority fails with errNotAuthority unless signer is the module's authority (the
// governance module account). Each module passes its own registered error so codes stay its own.
func CheckAuthority(authority, signer string, errNotAuthority *errorsmod.Error) error {
	if signer != authority {
		return errorsmod.Wrapf(errNotAuthority, "expected %s, got %s", authority, signer)
	}
	return nil
}
