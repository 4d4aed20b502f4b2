package chainclient

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
)

// OfflineFactory is the tx factory of a transaction signed without asking the chain anything:
// the given account number and sequence, a fixed gas limit (no simulation), no fee, and
// SIGN_MODE_DIRECT. The Sequencer signs with it from a keyring, and the load generator's senders
// with their own keys; both send transactions back to back with locally counted sequences.
func OfflineFactory(txConfig client.TxConfig, chainID string, accNum, sequence, gas uint64) clienttx.Factory {
	return clienttx.Factory{}.
		WithTxConfig(txConfig).WithChainID(chainID).
		WithAccountNumber(accNum).WithSequence(sequence).WithGas(gas).
		WithSignMode(signing.SignMode_SIGN_MODE_DIRECT)
}

// Sequencer signs many transactions from one key with locally counted sequences, so they can
// be broadcast back to back without waiting for each to commit (the CLI reads the committed
// sequence and collides). Gas is fixed per transaction: no simulation round trip.
type Sequencer struct {
	c        *Client
	from     string
	accNum   uint64
	sequence uint64
	gas      uint64
	opts     []TxOption
}

// NewSequencer reads from's account number and current sequence from the chain.
func (c *Client) NewSequencer(ctx context.Context, from string, gas uint64, opts ...TxOption) (*Sequencer, error) {
	addr, err := c.Address(from)
	if err != nil {
		return nil, err
	}
	num, seq, err := c.ctx.AccountRetriever.GetAccountNumberSequence(c.ctx.WithCmdContext(ctx), addr)
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", from, err)
	}
	return &Sequencer{c: c, from: from, accNum: num, sequence: seq, gas: gas, opts: opts}, nil
}

// Broadcast signs msgs with the next sequence and sends them with broadcast_tx_sync. It returns
// the hash; CheckTx failures are ErrTxFailed and do not consume the sequence.
func (s *Sequencer) Broadcast(ctx context.Context, msgs ...sdk.Msg) (string, error) {
	f := OfflineFactory(s.c.ctx.TxConfig, s.c.cfg.ChainID, s.accNum, s.sequence, s.gas).
		WithKeybase(s.c.Keyring).WithFromName(s.from)
	for _, o := range s.opts {
		o(&f)
	}
	builder, err := f.BuildUnsignedTx(msgs...)
	if err != nil {
		return "", err
	}
	if err := clienttx.Sign(ctx, f, s.from, builder, true); err != nil {
		return "", err
	}
	bz, err := s.c.ctx.TxConfig.TxEncoder()(builder.GetTx())
	if err != nil {
		return "", err
	}
	res, err := s.c.rpc.BroadcastTxSync(ctx, bz)
	if err != nil {
		return "", err
	}
	if res.Code != 0 {
		return "", fmt.Errorf("%w: check tx code %d: %s", ErrTxFailed, res.Code, res.Log)
	}
	s.sequence++
	return res.Hash.String(), nil
}
