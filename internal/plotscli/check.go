package plotscli

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/pospace"
)

func newCheckCmd(opts *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check",
		Short: "look up and verify proofs in every plot of the plots directory",
		Long: "check opens each plot, looks up the proofs for n challenges (challenge i is\n" +
			"sha-256 of i as a 4-byte big-endian integer), verifies every proof and prints how many\n" +
			"it found, with the plot's format and compression level and the mean time of a qualities\n" +
			"lookup and of a full-proof lookup (warm cache), so that a farmer can choose a level.\n" +
			"a healthy plot finds about one proof per challenge. the command fails if a plot cannot\n" +
			"be read or a proof does not verify.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runCheck(cmd) },
	}
	cmd.Flags().Int(FlagChallenges, 100, "number of challenges per plot")
	cmd.Flags().Bool(FlagJSON, false, "print json")
	dirFlag(cmd, opts)
	return cmd
}

// checkResult is the outcome of checking one plot.
type checkResult struct {
	Path       string  `json:"path"`
	PlotID     string  `json:"plot_id,omitempty"`
	K          int     `json:"k,omitempty"`
	Format     int     `json:"format,omitempty"`
	Level      int     `json:"compression"`
	QualityUS  float64 `json:"quality_lookup_us"`
	ProofUS    float64 `json:"proof_lookup_us"`
	Challenges int     `json:"challenges"`
	Proofs     int     `json:"proofs"`
	Invalid    int     `json:"invalid"`
	PerChall   float64 `json:"proofs_per_challenge"`
	Error      string  `json:"error,omitempty"`
}

func runCheck(cmd *cobra.Command) error {
	n, _ := cmd.Flags().GetInt(FlagChallenges)
	if n < 1 {
		return fmt.Errorf("--%s must be at least 1", FlagChallenges)
	}
	asJSON, _ := cmd.Flags().GetBool(FlagJSON)
	dir, err := getDir(cmd)
	if err != nil {
		return err
	}
	files, err := plotFiles(dir)
	if err != nil {
		return err
	}
	results := make([]checkResult, 0, len(files))
	failed := false
	for _, path := range files {
		r := checkPlot(path, n)
		if r.Error != "" || r.Invalid > 0 {
			failed = true
		}
		results = append(results, r)
	}
	out := cmd.OutOrStdout()
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return err
		}
	} else {
		if len(results) == 0 {
			fmt.Fprintf(out, "no plots in %s\n", dir)
		}
		for _, r := range results {
			if r.Error != "" {
				fmt.Fprintf(out, "%s: error: %s\n", r.Path, r.Error)
				continue
			}
			fmt.Fprintf(out, "%s: k %d, format %d, compression %d, %d proofs for %d challenges (%.2f per challenge), %d invalid; lookups: qualities %s, full proof %s\n",
				r.Path, r.K, r.Format, r.Level, r.Proofs, r.Challenges, r.PerChall, r.Invalid, micros(r.QualityUS), micros(r.ProofUS))
		}
	}
	if failed {
		return errInvalidProofs
	}
	return nil
}

// checkPlot looks up and verifies the proofs of one plot for challenges 0…n−1.
func checkPlot(path string, n int) checkResult {
	r := checkResult{Path: path, Challenges: n}
	pr, err := pospace.OpenProver(path)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer pr.Close()
	h := pr.Header()
	r.PlotID, r.K, r.Format, r.Level = h.PlotID.String(), h.K, h.Version, h.Compression
	var qt, pt time.Duration
	var pn int
	for i := range n {
		ch := pospace.CheckChallenge(uint32(i))
		t0 := time.Now()
		qs, err := pr.Qualities(ch)
		qt += time.Since(t0)
		if err != nil {
			r.Error = fmt.Sprintf("challenge %d: %v", i, err)
			return r
		}
		for j, q := range qs {
			t0 := time.Now()
			proof, err := pr.Proof(ch, j)
			pt += time.Since(t0)
			pn++
			if err != nil {
				r.Error = fmt.Sprintf("challenge %d proof %d: %v", i, j, err)
				return r
			}
			vq, err := pospace.Verify(h.PlotID, h.K, ch, proof)
			if err != nil || vq != q {
				r.Invalid++
				continue
			}
			r.Proofs++
		}
	}
	r.PerChall = float64(r.Proofs) / float64(n)
	r.QualityUS = float64(qt.Nanoseconds()) / 1e3 / float64(n)
	if pn > 0 {
		r.ProofUS = float64(pt.Nanoseconds()) / 1e3 / float64(pn)
	}
	return r
}

// micros prints a duration given in microseconds.
func micros(us float64) string {
	if us >= 1000 {
		return fmt.Sprintf("%.1f ms", us/1000)
	}
	return fmt.Sprintf("%.0f µs", us)
}

func newVerifyCmd(_ *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "verify a proof of space and print its quality string",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			id, _, err := parseHex32Flag(cmd, FlagPlotID)
			if err != nil {
				return err
			}
			challenge, _, err := parseHex32Flag(cmd, FlagChallenge)
			if err != nil {
				return err
			}
			k, _ := cmd.Flags().GetInt(FlagSize)
			proofHex, _ := cmd.Flags().GetString(FlagProof)
			proof, err := hex.DecodeString(trim0x(proofHex))
			if err != nil {
				return fmt.Errorf("--%s: %w", FlagProof, err)
			}
			q, err := pospace.Verify(pospace.PlotID(id), k, challenge, proof)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), hex.EncodeToString(q[:]))
			return nil
		},
	}
	f := cmd.Flags()
	f.String(FlagPlotID, "", "plot id (32 bytes, hex)")
	f.IntP(FlagSize, "k", 0, "plot size k")
	f.String(FlagChallenge, "", "challenge (32 bytes, hex)")
	f.String(FlagProof, "", "proof (8·k bytes, hex)")
	for _, name := range []string{FlagPlotID, FlagSize, FlagChallenge, FlagProof} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func trim0x(s string) string {
	if len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X") {
		return s[2:]
	}
	return s
}
