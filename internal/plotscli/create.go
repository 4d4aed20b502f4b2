package plotscli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/pospace"
)

func newCreateCmd(opts *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create",
		Short: "create a plot",
		Long: "create writes a plot of size k into the plots directory, named plot-k<k>-<plot id>.plot.\n" +
			"the plot id is sha-256(pool contract id ‖ plot public key); the public key comes from\n" +
			"--key (a key in the keyring) or --pubkey (hex). --plot-id sets the id directly, for\n" +
			"example to reproduce published test vectors.",
		Example: "  plots create -k 25 --pool-contract 3f…9a --key farmer\n" +
			"  plots create -k 18 --plot-id 23023404333717545b0a6f0c0dde9710e4d3fe2d5cc6cc0a090a0b818bab0f17",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runCreate(cmd, opts) },
	}
	f := cmd.Flags()
	f.IntP(FlagSize, "k", 0, fmt.Sprintf("plot size k (%d…%d); a plot takes about (5.8k+9)/8 · 2^k bytes (format 1: (14k+18)/8)", pospace.MinPlotK, pospace.MaxPlotK))
	f.String(FlagPoolContract, "", "pool contract: its on-chain id (a number, from 'guildd tx farming create-pool-contract') or its 32-byte key (hex)")
	f.String(FlagKey, "", "name of the key whose ed25519 public key is the plot public key")
	f.String(FlagPubKey, "", "plot public key (32-byte ed25519 public key, hex), instead of --key")
	f.String(FlagPlotID, "", "plot id (32 bytes, hex), overriding the derived id")
	f.String(FlagTmpDir, "", "directory for temporary files (default: the plots directory)")
	f.Int(FlagWorkers, 0, "number of plotting goroutines (default: number of cpus)")
	f.Int(FlagCompress, 0, fmt.Sprintf("compression level 0…%d (format 2): bits of each table-2 pair the prover recomputes; plots check prints the lookup times", pospace.MaxCompression))
	f.Int(FlagFormat, 2, "plot format version: 2 (compact) or 1 (previous format)")
	f.String(FlagMemory, "0", "extra memory (format 2), e.g. 8GiB: keeps the first intermediate tables in memory instead of on disk (the plan printed before plotting shows the disk and memory that result)")
	dirFlag(cmd, opts)
	_ = cmd.MarkFlagRequired(FlagSize)
	cmd.MarkFlagsMutuallyExclusive(FlagKey, FlagPubKey)
	return cmd
}

// plotIdentity works out the plot id and the header's pool contract and public key.
func plotIdentity(cmd *cobra.Command, opts *Options) (id pospace.PlotID, pool, pub [32]byte, err error) {
	pool, hasPool, err := parsePoolContractFlag(cmd)
	if err != nil {
		return id, pool, pub, err
	}
	pub, hasPub, err := parseHex32Flag(cmd, FlagPubKey)
	if err != nil {
		return id, pool, pub, err
	}
	if name, _ := cmd.Flags().GetString(FlagKey); name != "" {
		if opts.ResolveKey == nil {
			return id, pool, pub, fmt.Errorf("--%s is not available here: pass --%s", FlagKey, FlagPubKey)
		}
		key, err := opts.ResolveKey(cmd, name)
		if err != nil {
			return id, pool, pub, fmt.Errorf("key %q: %w", name, err)
		}
		if len(key) != 32 {
			return id, pool, pub, fmt.Errorf("key %q: public key has %d bytes, want a 32-byte ed25519 key", name, len(key))
		}
		pub, hasPub = [32]byte(key), true
	}
	override, hasOverride, err := parseHex32Flag(cmd, FlagPlotID)
	if err != nil {
		return id, pool, pub, err
	}
	switch {
	case hasOverride:
		return pospace.PlotID(override), pool, pub, nil
	case hasPool && hasPub:
		return pospace.DerivePlotID(pool, pub), pool, pub, nil
	default:
		return id, pool, pub, fmt.Errorf("need --%s and --%s (or --%s), or --%s", FlagPoolContract, FlagKey, FlagPubKey, FlagPlotID)
	}
}

func runCreate(cmd *cobra.Command, opts *Options) error {
	k, _ := cmd.Flags().GetInt(FlagSize)
	if k < pospace.MinPlotK || k > pospace.MaxPlotK {
		return fmt.Errorf("-k %d: the plotter makes k = %d…%d", k, pospace.MinPlotK, pospace.MaxPlotK)
	}
	id, pool, pub, err := plotIdentity(cmd, opts)
	if err != nil {
		return err
	}
	dir, err := getDir(cmd)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, pospace.PlotFileName(k, id))
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	tmpDir, _ := cmd.Flags().GetString(FlagTmpDir)
	workers, _ := cmd.Flags().GetInt(FlagWorkers)
	level, _ := cmd.Flags().GetInt(FlagCompress)
	format, _ := cmd.Flags().GetInt(FlagFormat)
	if format != 1 && format != 2 {
		return fmt.Errorf("--%s %d: want 1 or 2", FlagFormat, format)
	}
	if level < 0 || level > pospace.MaxCompression || level >= k || (format == 1 && level != 0) {
		return fmt.Errorf("--%s %d: want 0…%d, and 0 for format 1", FlagCompress, level, min(pospace.MaxCompression, k-1))
	}
	memStr, _ := cmd.Flags().GetString(FlagMemory)
	memory, err := parseSize(memStr)
	if err != nil {
		return fmt.Errorf("--%s %q: %w", FlagMemory, memStr, err)
	}
	if format == 1 && memory != 0 {
		return fmt.Errorf("--%s: only format 2 keeps tables in memory", FlagMemory)
	}
	need := pospace.EstimateSpaceMemory(k, format, memory)
	fmt.Fprintf(cmd.ErrOrStderr(), "plotting k %d, format %d, compression %d: up to %s of temporary space, %s for the plot, %s of both at the peak on one file system, %s of memory\n",
		k, format, level, pospace.FormatBytes(need.Temp), pospace.FormatBytes(need.Final), pospace.FormatBytes(need.Total), pospace.FormatBytes(need.Memory))
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	bar := newProgressBar(cmd.ErrOrStderr(), opts.now)
	start := opts.now()
	hdr, err := pospace.CreatePlot(ctx, path, pospace.PlotOptions{
		K: k, PlotID: id, PoolContractID: pool, PlotPublicKey: pub,
		TempDir: tmpDir, Workers: workers, Progress: bar.update,
		Format: format, Compression: level, Memory: memory,
	})
	bar.finish()
	if err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "created %s\n", path)
	fmt.Fprintf(out, "plot id %s, k %d, format %d, compression %d, %d bytes, %d table-7 entries, in %s\n",
		hdr.PlotID, hdr.K, hdr.Version, hdr.Compression, st.Size(), hdr.Counts[pospace.Tables-1], formatDuration(opts.now().Sub(start)))
	return nil
}

// parseSize reads a byte count: a whole number, optionally followed by KiB, MiB or GiB.
func parseSize(s string) (uint64, error) {
	mult := uint64(1)
	for _, u := range []struct {
		suffix string
		mult   uint64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > math.MaxUint64/mult {
		return 0, fmt.Errorf("want a whole number of bytes, KiB, MiB or GiB")
	}
	return n * mult, nil
}
