package cmd

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"
)

func newLocalnetStatusCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "show every validator of the localnet: pid, running, height, peers, app hash at the common height",
		Long: `show every validator of the localnet: its pid and whether it runs, its latest height, whether
it is catching up, its number of peers, and its app hash after the common height (the lowest
latest height among the responding nodes, less one), so that the nodes can be compared.
--output json prints the same for scripts and tests.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			n, err := readLocalnet(cmd)
			if err != nil {
				return err
			}
			st := n.Status(cmd.Context())
			out := cmd.OutOrStdout()
			if o, _ := cmd.Flags().GetString(flags.FlagOutput); o == flags.OutputFormatJSON {
				b, err := json.MarshalIndent(st, "", "  ")
				if err != nil {
					return err
				}
				_, err = fmt.Fprintln(out, string(b))
				return err
			}
			fmt.Fprintf(out, "localnet %s (home %s), common height %d, app hashes agree: %v\n", st.ChainID, st.Home, st.CommonHeight, st.AppHashesAgree)
			w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "node\tpid\trunning\theight\tcatching up\tpeers\trpc\tapp hash\terror")
			for _, ns := range st.Nodes {
				fmt.Fprintf(w, "%d\t%d\t%v\t%d\t%v\t%d\t%s\t%s\t%s\n", ns.Index, ns.PID, ns.Running, ns.Height, ns.CatchingUp, ns.Peers, ns.RPC, ns.AppHash, ns.Error)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringP(flags.FlagOutput, "o", "text", "output format (text|json)")
	return cmd
}
