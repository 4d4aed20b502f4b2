package cmd

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/guild-network/guild/daemon/pool/protocol"
)

// Flag names of `guildd pool payouts`.
const (
	flagPoolURL    = "pool-url"
	flagPoolLimit  = "limit"
	flagPoolOutput = "output"
)

func init() { poolSubcommands = append(poolSubcommands, newPoolPayoutsCmd) }

// newPoolPayoutsCmd is `guildd pool payouts`: a pool's newest payout rounds (GET /payouts), with
// every farmer's points and credit, so that anyone can replay a split.
func newPoolPayoutsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "payouts",
		Short: "show a pool's newest payout rounds: terms, and each farmer's points and credit (GET /payouts)",
		Long: `show a pool's newest payout rounds, newest first: scheme, PPLNS window, fee, total, and each
farmer's points and credit. A round replays as: fee = ceil(total * fee_bps / 10000), farmer i gets
floor((total - fee) * points_i / sum of points), and the remainder is dust carried to the next round.`,
		Example: `  pool payouts --pool-url http://127.0.0.1:8444 --limit 5`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			url, _ := cmd.Flags().GetString(flagPoolURL)
			limit, _ := cmd.Flags().GetInt(flagPoolLimit)
			output, _ := cmd.Flags().GetString(flagPoolOutput)
			if url == "" {
				return fmt.Errorf("--%s is required", flagPoolURL)
			}
			if output != "text" && output != "json" {
				return fmt.Errorf("--%s must be text or json, got %q", flagPoolOutput, output)
			}
			c := &http.Client{Timeout: 10 * time.Second}
			resp, err := c.Get(strings.TrimRight(url, "/") + "/payouts?limit=" + strconv.Itoa(limit))
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			var raw json.RawMessage
			if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
				return fmt.Errorf("pool answered %s: %w", resp.Status, err)
			}
			var pe protocol.Error
			if json.Unmarshal(raw, &pe) == nil && pe.Code != 0 {
				return &pe
			}
			if output == "json" {
				_, err := fmt.Fprintln(cmd.OutOrStdout(), string(raw))
				return err
			}
			var rs protocol.Rounds
			if err := json.Unmarshal(raw, &rs); err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			for _, r := range rs.Rounds {
				fmt.Fprintf(w, "round %d\t%s\t%s\ttotal %d\tfee %d (%d bps)\tcredited %d\tdust %d\n", r.ID,
					time.Unix(r.CreatedAt, 0).UTC().Format(time.RFC3339), r.Scheme, r.Total, r.Fee, r.FeeBps, r.Credited, r.Dust)
				for _, sh := range r.Shares {
					fmt.Fprintf(w, "\t%s\tpoints %d\tcredit %d\t\t\t\n", sh.LauncherID, sh.Points, sh.Credit)
				}
			}
			if len(rs.Rounds) == 0 {
				fmt.Fprintln(w, "no payout round yet")
			}
			return w.Flush()
		},
	}
	cmd.Flags().String(flagPoolURL, "", "the pool server's url")
	cmd.Flags().Int(flagPoolLimit, 20, "how many rounds (1 to 200)")
	cmd.Flags().String(flagPoolOutput, "text", "text or json")
	return cmd
}
