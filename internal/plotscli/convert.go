package plotscli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/pospace"
)

func newConvertCmd(opts *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "convert [plot file]...",
		Short: "rewrite version-1 plots in the compact version-2 format, without replotting",
		Long: "convert rewrites each given version-1 plot (default: every version-1 plot in the plots\n" +
			"directory) as a version-2 plot of the same name, at the compression level --compress.\n" +
			"the new file is written next to the old one and renamed over it when complete, so the\n" +
			"disk needs room for both for a moment; the proofs do not change.",
		Example: "  plots convert --compress 0\n  plots convert --compress 16 /plots/plot-k25-….plot",
		RunE:    func(cmd *cobra.Command, args []string) error { return runConvert(cmd, opts, args) },
	}
	cmd.Flags().Int(FlagCompress, 0, fmt.Sprintf("compression level 0…%d", pospace.MaxCompression))
	cmd.Flags().String(FlagTmpDir, "", "directory for temporary files (default: the plot's directory)")
	dirFlag(cmd, opts)
	return cmd
}

func runConvert(cmd *cobra.Command, opts *Options, files []string) error {
	level, _ := cmd.Flags().GetInt(FlagCompress)
	tmpDir, _ := cmd.Flags().GetString(FlagTmpDir)
	if len(files) == 0 {
		dir, err := getDir(cmd)
		if err != nil {
			return err
		}
		all, err := plotFiles(dir)
		if err != nil {
			return err
		}
		for _, f := range all {
			if v, err := plotVersion(f); err == nil && v == 1 {
				files = append(files, f)
			}
		}
		if len(files) == 0 {
			fmt.Fprintf(cmd.OutOrStdout(), "no version-1 plots in %s\n", dir)
			return nil
		}
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	out := cmd.OutOrStdout()
	for _, path := range files {
		before, err := os.Stat(path)
		if err != nil {
			return err
		}
		bar := newProgressBar(cmd.ErrOrStderr(), opts.now)
		start := opts.now()
		tmp := path + ".v2"
		h, err := pospace.ConvertPlot(ctx, path, tmp, pospace.ConvertOptions{Compression: level, TempDir: tmpDir, Progress: bar.update})
		bar.finish()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := os.Rename(tmp, path); err != nil {
			os.Remove(tmp)
			return err
		}
		after, err := os.Stat(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "converted %s: k %d, compression %d, %d → %d bytes (%.1f%%), in %s\n", path, h.K, h.Compression,
			before.Size(), after.Size(), 100*float64(after.Size())/float64(before.Size()), formatDuration(opts.now().Sub(start)))
	}
	return nil
}

// plotVersion reads the format version of a plot file.
func plotVersion(path string) (int, error) {
	pr, err := pospace.OpenProver(path)
	if err != nil {
		return 0, err
	}
	defer pr.Close()
	return pr.Header().Version, nil
}
