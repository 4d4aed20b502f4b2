package loadgen

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"

	rpchttp "github.com/cometbft/cometbft/rpc/client/http"

	"github.com/cosmos/cosmos-sdk/client"
	clienttx "github.com/cosmos/cosmos-sdk/client/tx"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"

	"github.com/guild-network/guild/internal/chainclient"
)

// Sender is one load account: a secp256k1 key derived from the seed and its index, and the
// account number and sequence it signs with. The sequence is fetched once and then counted
// locally; Resync fetches it again after a mismatch or a lost transaction.
type Sender struct {
	Index  int
	Addr   sdk.AccAddress
	priv   *secp256k1.PrivKey
	accNum uint64
	seq    uint64
	leases []uint64 // deployed leases this sender claims, round-robin
	claim  int      // next entry of leases
	rpc    int      // index of the node this sender broadcasts to
}

// DeriveSender returns sender i of seed: the same seed and index always give the same key.
func DeriveSender(seed string, i int) *Sender {
	secret := sha256.Sum256([]byte(fmt.Sprintf("guild/loadgen/%s/%d", seed, i)))
	priv := secp256k1.GenPrivKeyFromSecret(secret[:])
	return &Sender{Index: i, Addr: sdk.AccAddress(priv.PubKey().Address()), priv: priv}
}

// Resync reads the account number and sequence from the chain.
func (s *Sender) Resync(ctx context.Context, cctx client.Context) error {
	num, seq, err := cctx.AccountRetriever.GetAccountNumberSequence(cctx.WithCmdContext(ctx), s.Addr)
	if err != nil {
		return fmt.Errorf("account of sender %d (%s): %w", s.Index, s.Addr, err)
	}
	s.accNum, s.seq = num, seq
	return nil
}

// Sign builds and signs a transaction of msgs with the sender's next sequence
// (chainclient.OfflineFactory: SIGN_MODE_DIRECT, explicit account number and sequence, fixed
// gas, zero fee) and returns its bytes and hash
// (upper-case hex, as CometBFT prints it). It does not advance the sequence: Accept does, once
// the node took the transaction.
func (s *Sender) Sign(ctx context.Context, cctx client.Context, gas uint64, msgs ...sdk.Msg) ([]byte, string, error) {
	cfg := cctx.TxConfig
	f := chainclient.OfflineFactory(cfg, cctx.ChainID, s.accNum, s.seq, gas)
	b, err := f.BuildUnsignedTx(msgs...)
	if err != nil {
		return nil, "", err
	}
	mode := f.SignMode()
	pub := s.priv.PubKey()
	// The signer info is part of the signed bytes in direct mode: set it before signing.
	if err := b.SetSignatures(signing.SignatureV2{PubKey: pub, Data: &signing.SingleSignatureData{SignMode: mode}, Sequence: s.seq}); err != nil {
		return nil, "", err
	}
	data := authsigning.SignerData{ChainID: cctx.ChainID, AccountNumber: s.accNum, Sequence: s.seq, PubKey: pub, Address: s.Addr.String()}
	sig, err := clienttx.SignWithPrivKey(ctx, mode, data, b, s.priv, cfg, s.seq)
	if err != nil {
		return nil, "", err
	}
	if err := b.SetSignatures(sig); err != nil {
		return nil, "", err
	}
	bz, err := cfg.TxEncoder()(b.GetTx())
	if err != nil {
		return nil, "", err
	}
	return bz, TxHash(bz), nil
}

// Accept advances the local sequence after the node accepted a transaction.
func (s *Sender) Accept() { s.seq++ }

// Sequence is the sequence the next transaction will carry.
func (s *Sender) Sequence() uint64 { return s.seq }

// TxHash is the CometBFT hash of a transaction: SHA-256 of its bytes, upper-case hex.
func TxHash(tx []byte) string {
	h := sha256.Sum256(tx)
	return strings.ToUpper(fmt.Sprintf("%x", h[:]))
}

// nodes is the set of RPC clients the senders spread over.
type nodes struct {
	addrs   []string
	clients []*rpchttp.HTTP
}

func dialNodes(addrs []string) (*nodes, error) {
	n := &nodes{addrs: addrs}
	for _, a := range addrs {
		if !strings.Contains(a, "://") {
			a = "tcp://" + a
		}
		c, err := client.NewClientFromNode(a)
		if err != nil {
			return nil, fmt.Errorf("%w: rpc %s: %v", ErrConfig, a, err)
		}
		n.clients = append(n.clients, c)
	}
	return n, nil
}
