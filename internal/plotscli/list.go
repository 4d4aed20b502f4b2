package plotscli

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/pospace"
)

func newListCmd(opts *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "list the plots of the plots directory",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runList(cmd) },
	}
	cmd.Flags().Bool(FlagJSON, false, "print json")
	dirFlag(cmd, opts)
	return cmd
}

// plotInfo describes one plot file.
type plotInfo struct {
	Path           string `json:"path"`
	K              int    `json:"k,omitempty"`
	PlotID         string `json:"plot_id,omitempty"`
	PoolContractID string `json:"pool_contract_id,omitempty"`
	PlotPublicKey  string `json:"plot_public_key,omitempty"`
	Bytes          int64  `json:"bytes"`
	Format         int    `json:"format,omitempty"`
	Compression    int    `json:"compression"`
	Error          string `json:"error,omitempty"`
}

func runList(cmd *cobra.Command) error {
	asJSON, _ := cmd.Flags().GetBool(FlagJSON)
	dir, err := getDir(cmd)
	if err != nil {
		return err
	}
	files, err := plotFiles(dir)
	if err != nil {
		return err
	}
	infos := make([]plotInfo, 0, len(files))
	for _, path := range files {
		infos = append(infos, describe(path))
	}
	out := cmd.OutOrStdout()
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(infos)
	}
	if len(infos) == 0 {
		fmt.Fprintf(out, "no plots in %s\n", dir)
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "K\tPLOT ID\tSIZE\tFORMAT\tPOOL CONTRACT\tFILE")
	for _, p := range infos {
		if p.Error != "" {
			fmt.Fprintf(tw, "?\t?\t%s\t?\t?\t%s (error: %s)\n", humanBytes(p.Bytes), p.Path, p.Error)
			continue
		}
		pool := p.PoolContractID
		if pool == "" {
			pool = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\tv%d/c%d\t%s\t%s\n", p.K, p.PlotID, humanBytes(p.Bytes), p.Format, p.Compression, pool, p.Path)
	}
	return tw.Flush()
}

// describe reads the header of one plot file.
func describe(path string) plotInfo {
	info := plotInfo{Path: path}
	if st, err := os.Stat(path); err == nil {
		info.Bytes = st.Size()
	}
	pr, err := pospace.OpenProver(path)
	if err != nil {
		info.Error = err.Error()
		return info
	}
	defer pr.Close()
	h := pr.Header()
	info.K, info.PlotID, info.Format, info.Compression = h.K, h.PlotID.String(), h.Version, h.Compression
	if h.PoolContractID != ([32]byte{}) {
		info.PoolContractID = hex.EncodeToString(h.PoolContractID[:])
	}
	if h.PlotPublicKey != ([32]byte{}) {
		info.PlotPublicKey = hex.EncodeToString(h.PlotPublicKey[:])
	}
	return info
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
