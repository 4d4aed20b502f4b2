package ado

import (
	"context"
	"errors"

	cmtservice "github.com/cosmos/cosmos-sdk/client/grpc/cmtservice"
	"google.golang.org/grpc"

	credittypes "github.com/guild-network/guild/x/credit/types"
	providertypes "github.com/guild-network/guild/x/provider/types"
)

// Chain is what the ADO reads from the chain.
type Chain interface {
	Height(ctx context.Context) (int64, error)
	Credit() credittypes.QueryClient
	Provider() providertypes.QueryClient
}

// GRPCChain reads the chain over a node's gRPC endpoint.
type GRPCChain struct {
	conn grpc.ClientConnInterface
	cmt  cmtservice.ServiceClient
}

// NewGRPCChain wraps a gRPC connection to a node.
func NewGRPCChain(conn grpc.ClientConnInterface) *GRPCChain {
	return &GRPCChain{conn: conn, cmt: cmtservice.NewServiceClient(conn)}
}

// Height is the latest block height.
func (c *GRPCChain) Height(ctx context.Context) (int64, error) {
	res, err := c.cmt.GetLatestBlock(ctx, &cmtservice.GetLatestBlockRequest{})
	if err != nil {
		return 0, err
	}
	if res.SdkBlock != nil {
		return res.SdkBlock.Header.Height, nil
	}
	if res.Block != nil { //nolint:staticcheck // older nodes
		return res.Block.Header.Height, nil //nolint:staticcheck
	}
	return 0, errors.New("latest block: empty answer")
}

// Credit is the x/credit query client.
func (c *GRPCChain) Credit() credittypes.QueryClient { return credittypes.NewQueryClient(c.conn) }

// Provider is the x/provider query client.
func (c *GRPCChain) Provider() providertypes.QueryClient { return providertypes.NewQueryClient(c.conn) }
