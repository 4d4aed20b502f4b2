package loadgen

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/guild-network/guild/internal/encoding"
)

// A signed transaction carries the explicit account number and sequence: its signature verifies
// over the sign bytes of that account number (the sequence is in the signed auth info).
func TestSenderSign(t *testing.T) {
	enc := encoding.MakeConfig()
	cctx := client.Context{}.WithTxConfig(enc.TxConfig).WithChainID("guild-test-1").WithInterfaceRegistry(enc.InterfaceRegistry)
	s := DeriveSender("test", 3)
	s.accNum, s.seq = 42, 7
	to := DeriveSender("test", 4).Addr
	msg := &banktypes.MsgSend{FromAddress: s.Addr.String(), ToAddress: to.String(), Amount: sdk.NewCoins(sdk.NewInt64Coin("ugld", 1))}
	bz, hash, err := s.Sign(context.Background(), cctx, 123_456, msg)
	require.NoError(t, err)
	require.Equal(t, TxHash(bz), hash)
	require.Equal(t, uint64(7), s.Sequence(), "signing does not advance the sequence")

	tx, err := enc.TxConfig.TxDecoder()(bz)
	require.NoError(t, err)
	sigTx := tx.(authsigning.SigVerifiableTx)
	sigs, err := sigTx.GetSignaturesV2()
	require.NoError(t, err)
	require.Len(t, sigs, 1)
	require.Equal(t, uint64(7), sigs[0].Sequence)
	require.Equal(t, uint64(123_456), tx.(sdk.FeeTx).GetGas())
	raw := sigs[0].Data.(*signing.SingleSignatureData).Signature
	signBytes := func(accNum uint64) []byte {
		data := authsigning.SignerData{ChainID: "guild-test-1", AccountNumber: accNum, Sequence: 7, PubKey: s.priv.PubKey(), Address: s.Addr.String()}
		b, err := authsigning.GetSignBytesAdapter(context.Background(), enc.TxConfig.SignModeHandler(), signing.SignMode_SIGN_MODE_DIRECT, data, tx)
		require.NoError(t, err)
		return b
	}
	require.True(t, s.priv.PubKey().VerifySignature(signBytes(42), raw))
	require.False(t, s.priv.PubKey().VerifySignature(signBytes(43), raw))

	s.Accept()
	require.Equal(t, uint64(8), s.Sequence())
}
