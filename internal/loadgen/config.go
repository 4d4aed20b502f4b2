package loadgen

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is one kind of transaction the generator sends.
type Kind string

// The kinds of transaction in a mix.
const (
	KindBank  Kind = "bank"  // a bank send of 1ugld to another sender
	KindBook  Kind = "book"  // a market booking of one unit of the load offer
	KindClaim Kind = "claim" // a market claim of one of the sender's deployed leases
)

// Kinds lists every kind, in the order summaries print them.
var Kinds = []Kind{KindBank, KindBook, KindClaim}

// ErrConfig is returned (wrapped) for an invalid configuration.
var ErrConfig = errors.New("invalid load config")

// Mix is how many transactions of each kind a sender sends per cycle, e.g. bank=1,book=1.
type Mix map[Kind]int

// ParseMix reads "bank=2,book=1,claim=1" (a kind without "=n" counts 1).
func ParseMix(s string) (Mix, error) {
	m := Mix{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, weight, hasWeight := strings.Cut(part, "=")
		k := Kind(strings.TrimSpace(name))
		if !k.valid() {
			return nil, fmt.Errorf("%w: mix: unknown kind %q (want bank, book or claim)", ErrConfig, name)
		}
		n := 1
		if hasWeight {
			var err error
			if n, err = strconv.Atoi(strings.TrimSpace(weight)); err != nil || n < 0 || n > 100 {
				return nil, fmt.Errorf("%w: mix: weight of %s must be 0..100, got %q", ErrConfig, k, weight)
			}
		}
		m[k] += n
	}
	if m.total() == 0 {
		return nil, fmt.Errorf("%w: mix %q has no transactions", ErrConfig, s)
	}
	return m, nil
}

func (k Kind) valid() bool { return k == KindBank || k == KindBook || k == KindClaim }

func (m Mix) total() int {
	n := 0
	for _, k := range Kinds {
		n += m[k]
	}
	return n
}

// Cycle expands the mix into the sequence one sender walks, kinds interleaved so that a short
// run still sends a bit of each: bank=2,book=1 → bank, book, bank.
func (m Mix) Cycle() []Kind {
	left := map[Kind]int{}
	for _, k := range Kinds {
		left[k] = m[k]
	}
	var out []Kind
	for len(out) < m.total() {
		for _, k := range Kinds {
			if left[k] > 0 {
				out = append(out, k)
				left[k]--
			}
		}
	}
	return out
}

// String prints the mix in the flag's syntax, kinds in fixed order.
func (m Mix) String() string {
	var parts []string
	for _, k := range Kinds {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
		}
	}
	return strings.Join(parts, ",")
}

// Config is one load run.
type Config struct {
	RPCs       []string // CometBFT RPC addresses; senders are spread over them
	ChainID    string
	KeyringDir string // home holding the funder's, provider's and node's keys (test keyring)

	Funder   string // key that funds the senders (and pays nothing else)
	Provider string // key of the provider whose node the load offer is on
	Node     string // key of that node's account (reports deployments; fees from the provider's grant)

	Senders         int           // number of sender accounts, each signing its own transactions
	Mix             Mix           // what the senders send
	Duration        time.Duration // stop sending after this long (0: only Txs bounds the run)
	Txs             int           // stop after this many transactions were accepted (0: only Duration)
	InFlight        int           // per sender, transactions broadcast but not yet seen in a block
	LeasesPerSender int           // deployed leases each sender claims round-robin (mix with claim)
	OfferUnits      int           // units of the load offer (one millicpu each; one per booking)
	Gas             uint64        // gas limit of every load transaction (no simulation)
	TxTimeout       time.Duration // a transaction not in a block after this long counts as lost for its sender
	Drain           time.Duration // after sending stops, wait this long for the last transactions
	Seed            string        // sender keys derive from it: the same seed gives the same accounts
	HashesFile      string        // where committed hashes are written ("" = nowhere)
	Poll            time.Duration // how often the block scanner asks for new blocks
}

// DefaultConfig is a short mixed run of 32 senders.
func DefaultConfig() Config {
	return Config{
		Funder: "validator", Provider: "provider", Node: "node",
		Senders: 32, Mix: Mix{KindBank: 1, KindBook: 1, KindClaim: 1},
		Duration: 30 * time.Second, InFlight: 4, LeasesPerSender: 2, OfferUnits: 4000, Gas: 300_000,
		TxTimeout: 30 * time.Second, Drain: 30 * time.Second, Seed: "guild-load", Poll: 100 * time.Millisecond,
	}
}

// TestConfig is a tiny run for tests: 4 senders, 40 transactions.
func TestConfig() Config {
	c := DefaultConfig()
	c.Senders, c.Txs, c.Duration, c.LeasesPerSender, c.Drain = 4, 40, 0, 1, 20*time.Second
	return c
}

// ValidateBasic checks the config without touching the network.
func (c Config) ValidateBasic() error {
	switch {
	case len(c.RPCs) == 0:
		return fmt.Errorf("%w: at least one rpc address is required", ErrConfig)
	case c.ChainID == "":
		return fmt.Errorf("%w: chain id is required", ErrConfig)
	case c.Senders < 1 || c.Senders > 10_000:
		return fmt.Errorf("%w: senders must be 1..10000, got %d", ErrConfig, c.Senders)
	case c.Mix.total() == 0:
		return fmt.Errorf("%w: the mix has no transactions", ErrConfig)
	case c.Duration <= 0 && c.Txs <= 0:
		return fmt.Errorf("%w: bound the run with a duration or a number of transactions", ErrConfig)
	case c.Duration < 0 || c.Txs < 0:
		return fmt.Errorf("%w: duration and txs must not be negative", ErrConfig)
	case c.InFlight < 1 || c.InFlight > 1000:
		return fmt.Errorf("%w: in-flight must be 1..1000, got %d", ErrConfig, c.InFlight)
	case c.Mix[KindClaim] > 0 && c.LeasesPerSender < 1:
		return fmt.Errorf("%w: a mix with claims needs at least one lease per sender", ErrConfig)
	case c.needsMarket() && c.OfferUnits < 1:
		return fmt.Errorf("%w: a mix with market transactions needs offer units", ErrConfig)
	case c.Gas == 0:
		return fmt.Errorf("%w: gas must be positive", ErrConfig)
	case c.TxTimeout <= 0 || c.Poll <= 0 || c.Drain < 0:
		return fmt.Errorf("%w: tx timeout and poll must be positive, drain not negative", ErrConfig)
	case c.Seed == "":
		return fmt.Errorf("%w: seed is required", ErrConfig)
	case c.Funder == "":
		return fmt.Errorf("%w: funder key is required", ErrConfig)
	case c.needsMarket() && (c.Provider == "" || c.Node == ""):
		return fmt.Errorf("%w: a mix with market transactions needs the provider and node keys", ErrConfig)
	}
	return nil
}

func (c Config) needsMarket() bool { return c.Mix[KindBook] > 0 || c.Mix[KindClaim] > 0 }
