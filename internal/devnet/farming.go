package devnet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cosmos/cosmos-sdk/codec"
	codectypes "github.com/cosmos/cosmos-sdk/codec/types"
	"github.com/cosmos/cosmos-sdk/crypto/keyring"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/guild-network/guild/internal/edkey"
	"github.com/guild-network/guild/pospace"
	farmingtypes "github.com/guild-network/guild/x/farming/types"
)

// The devnet's farming demo: the farmer account owns a self-pooling pool contract and farms
// DemoPlots plots of size DemoPlotK, one per plot key.
const (
	DemoPlots = 3
	DemoPlotK = 18
	// PlotKeyPrefix names the demo plot keys: farmer-plot-1, farmer-plot-2, …
	PlotKeyPrefix = "farmer-plot-"
)

// PlotKeys lists the demo plot keys' names.
func PlotKeys() []string {
	out := make([]string, DemoPlots)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", PlotKeyPrefix, i+1)
	}
	return out
}

// FarmingGenesisPatch gives the devnet x/farming's devnet parameters (no plot filter, k ≥ 18,
// difficulty from 1), so that a few small plots win signage points.
func FarmingGenesisPatch(state map[string]json.RawMessage) error {
	p := farmingtypes.DevnetParams()
	gs := farmingtypes.GenesisState{Params: p, State: farmingtypes.NewFarmingState(p), NextPoolContractId: 1}
	bz, err := codec.NewProtoCodec(codectypes.NewInterfaceRegistry()).MarshalJSON(&gs)
	if err != nil {
		return err
	}
	state[farmingtypes.ModuleName] = bz
	return nil
}

// EnsurePlotKeys adds the demo plot keys (ed25519, from their fixed mnemonics) to kr if missing
// and returns their public keys in order.
func EnsurePlotKeys(kr keyring.Keyring) ([][]byte, error) {
	var pubs [][]byte
	for _, name := range PlotKeys() {
		rec, err := kr.Key(name)
		if err != nil {
			rec, err = kr.NewAccount(name, Mnemonic(name), "", sdk.FullFundraiserPath, edkey.Algo)
			if err != nil {
				return nil, fmt.Errorf("plot key %s: %w", name, err)
			}
		}
		pk, err := rec.GetPubKey()
		if err != nil {
			return nil, err
		}
		pubs = append(pubs, pk.Bytes())
	}
	return pubs, nil
}

// EnsureDemoPlots makes sure dir holds one k=DemoPlotK plot per public key bound to pool
// contract id, plotting the missing ones with a progress line on log (each line one write, with
// no prefix: the caller adds its own); existing plots are reused.
// It returns how many it plotted.
func EnsureDemoPlots(ctx context.Context, dir string, contract uint64, pubs [][]byte, log io.Writer) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	made := 0
	for i, pub := range pubs {
		id, err := farmingtypes.PlotID(contract, pub)
		if err != nil {
			return made, err
		}
		path := filepath.Join(dir, pospace.PlotFileName(DemoPlotK, id))
		if p, err := pospace.OpenProver(path); err == nil {
			p.Close()
			continue
		} else if !errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(log, "replacing unreadable plot %s: %v\n", path, err)
		}
		tmp := path + ".tmp"
		last := -25
		_, err = pospace.CreatePlot(ctx, tmp, pospace.PlotOptions{
			K: DemoPlotK, PlotID: id, PoolContractID: farmingtypes.PoolContractKey(contract), PlotPublicKey: [32]byte(pub),
			Progress: func(frac float64, phase string) {
				if pct := int(frac * 100); pct/25 != last/25 {
					last = pct
					fmt.Fprintf(log, "plotting %d/%d (k=%d) %3d%% %s\n", i+1, len(pubs), DemoPlotK, pct, phase)
				}
			},
		})
		if err != nil {
			_ = os.Remove(tmp)
			return made, fmt.Errorf("plot %d: %w", i+1, err)
		}
		if err := os.Rename(tmp, path); err != nil {
			return made, err
		}
		made++
	}
	return made, nil
}
