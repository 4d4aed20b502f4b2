// Package plotscli implements the `plots` command group (create, check, verify, list, convert) over the
// pospace package, for the guildd binary. The binary supplies key lookup and the default plots
// directory through Options; everything else is self-contained so that the commands can be run
// and tested in-process.
package plotscli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/pospace"
)

// Flag names.
const (
	FlagSize         = "size"
	FlagPoolContract = "pool-contract"
	FlagKey          = "key"
	FlagPubKey       = "pubkey"
	FlagPlotID       = "plot-id"
	FlagDir          = "dir"
	FlagTmpDir       = "tmp-dir"
	FlagWorkers      = "workers"
	FlagChallenges   = "challenges"
	FlagChallenge    = "challenge"
	FlagProof        = "proof"
	FlagJSON         = "json"
	FlagCompress     = "compress"
	FlagFormat       = "format"
	FlagMemory       = "memory"
)

// Options connect the commands to the host binary.
type Options struct {
	// ResolveKey returns the 32-byte ed25519 public key of the named key (from the binary's
	// keyring). If nil, `plots create --key` is unavailable and --pubkey must be used.
	ResolveKey func(cmd *cobra.Command, name string) ([]byte, error)
	// DefaultDir is the plots directory used when --dir is not given.
	DefaultDir string
	// Now returns the current time, for progress and timing output. Default: time.Now.
	Now func() time.Time
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// NewPlotsCmd returns the `plots` command with its subcommands.
func NewPlotsCmd(opts Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plots",
		Short: "create, check, verify and list proof-of-space plots",
		Long: "plots are files of proof-of-space tables (Chia's v1 construction) that a farmer " +
			"looks up to answer signage points.",
		SilenceUsage: true,
	}
	cmd.AddCommand(
		newCreateCmd(&opts),
		newCheckCmd(&opts),
		newVerifyCmd(&opts),
		newListCmd(&opts),
		newConvertCmd(&opts),
	)
	return cmd
}

// dirFlag adds --dir with the default plots directory.
func dirFlag(cmd *cobra.Command, opts *Options) {
	cmd.Flags().String(FlagDir, opts.DefaultDir, "plots directory")
}

func getDir(cmd *cobra.Command) (string, error) {
	dir, _ := cmd.Flags().GetString(FlagDir)
	if dir == "" {
		return "", fmt.Errorf("no plots directory: pass --%s", FlagDir)
	}
	return dir, nil
}

// plotFiles returns the *.plot files of dir, sorted by name.
func plotFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".plot") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out)
	return out, nil
}

// parseHex32Flag reads a 32-byte hex flag; ok is false when the flag is unset.
func parseHex32Flag(cmd *cobra.Command, name string) (v [32]byte, ok bool, err error) {
	s, _ := cmd.Flags().GetString(name)
	if s == "" {
		return v, false, nil
	}
	v, err = pospace.ParseHex32(s)
	if err != nil {
		return v, false, fmt.Errorf("--%s: %w", name, err)
	}
	return v, true, nil
}

var errInvalidProofs = errors.New("some proofs did not verify")
