package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtx "github.com/cosmos/cosmos-sdk/x/auth/tx"
)

// Flags every broadcasting tx command gets from waitForInclusion.
const (
	flagNoWait      = "no-wait"
	flagWaitTimeout = "wait-timeout"
)

// defaultWaitTimeout bounds how long a tx command waits for its transaction to be in a block.
const defaultWaitTimeout = time.Minute

// ErrTxFailed is returned by a tx command whose transaction was refused (CheckTx) or failed in
// its block (DeliverTx); the message carries the code, codespace and the module's error text.
var ErrTxFailed = errors.New("transaction failed")

// ErrTxNotIncluded is returned when a broadcast transaction is not in a block before the timeout.
var ErrTxNotIncluded = errors.New("transaction not included")

// waitForInclusion makes every command under tx that broadcasts (it has --broadcast-mode) wait
// until its transaction is in a block, print the final result and exit non-zero on any failure,
// in CheckTx or in the block. --no-wait or --broadcast-mode async keeps the SDK's behaviour of
// returning after the broadcast (a CheckTx failure still exits non-zero). Commands that do not
// broadcast (--generate-only, --dry-run, a declined confirmation) are left alone.
func waitForInclusion(tx *cobra.Command) {
	walk(tx, func(c *cobra.Command) {
		if c.RunE == nil || c.Flags().Lookup(flags.FlagBroadcastMode) == nil {
			return
		}
		estimateGas(c)
		if c.Flags().Lookup(flagNoWait) != nil || c.Flags().Lookup(flagWaitTimeout) != nil {
			return // a command that already decides how to wait keeps its own behaviour
		}
		c.Flags().Bool(flagNoWait, false, "return once the node accepted the transaction (CheckTx), without waiting for its block")
		c.Flags().Duration(flagWaitTimeout, defaultWaitTimeout, "how long to wait for the transaction to be in a block")
		run := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error { return runAndWait(cmd, args, run) }
	})
}

// defaultGasAdjustment is the margin over the simulated gas that guild's tx commands use by
// default: a fixed 200,000 limit is too low for some of Guild's messages (a lease cancel that
// settles the tenant and pays the provider) and far too high for a bank send.
const defaultGasAdjustment = "1.5"

// estimateGas makes --gas default to "auto" (simulate, then add --gas-adjustment), so that no
// command of the walkthrough runs out of gas; an explicit --gas still wins.
func estimateGas(c *cobra.Command) {
	if g := c.Flags().Lookup(flags.FlagGas); g != nil && g.Value.Type() == "string" {
		g.DefValue = flags.GasFlagAuto
		g.Usage = strings.Replace(g.Usage, " (default 200000)", "", 1)
		_ = g.Value.Set(flags.GasFlagAuto)
	}
	if a := c.Flags().Lookup(flags.FlagGasAdjustment); a != nil {
		a.DefValue = defaultGasAdjustment
		_ = a.Value.Set(defaultGasAdjustment)
	}
}

func walk(c *cobra.Command, f func(*cobra.Command)) {
	f(c)
	for _, sub := range c.Commands() {
		walk(sub, f)
	}
}

func runAndWait(cmd *cobra.Command, args []string, run func(*cobra.Command, []string) error) error {
	f := cmd.Flags()
	if only, _ := f.GetBool(flags.FlagGenerateOnly); only {
		return run(cmd, args)
	}
	if dry, _ := f.GetBool(flags.FlagDryRun); dry {
		return run(cmd, args)
	}
	// The broadcast result is captured as JSON whatever --output says; the final result is
	// printed in the format the user asked for.
	format := client.GetClientContextFromCmd(cmd).OutputFormat
	if f.Changed(flags.FlagOutput) {
		format, _ = f.GetString(flags.FlagOutput)
	}
	_ = f.Set(flags.FlagOutput, flags.OutputFormatJSON)
	out := cmd.OutOrStdout()
	capture := &txCapture{next: out}
	cmd.SetOut(capture)
	if err := client.SetCmdClientContext(cmd, client.GetClientContextFromCmd(cmd).WithOutput(capture)); err != nil {
		return err
	}
	err := run(cmd, args)
	cmd.SetOut(out)
	if err != nil || capture.raw == nil {
		return err
	}
	clientCtx, err := client.GetClientTxContext(cmd)
	if err != nil {
		return err
	}
	clientCtx = clientCtx.WithOutput(out).WithOutputFormat(format)
	var res sdk.TxResponse
	if err := clientCtx.Codec.UnmarshalJSON(capture.raw, &res); err != nil {
		return fmt.Errorf("decode broadcast result: %w", err)
	}
	if res.Code != 0 {
		return reportTx(clientCtx, &res, "refused by the node")
	}
	noWait, _ := f.GetBool(flagNoWait)
	if noWait || clientCtx.BroadcastMode == flags.BroadcastAsync {
		return clientCtx.PrintProto(&res)
	}
	timeout, _ := f.GetDuration(flagWaitTimeout)
	final, err := awaitTx(cmd.Context(), clientCtx, res.TxHash, timeout)
	if err != nil {
		return err
	}
	return reportTx(clientCtx, final, "failed in block "+fmt.Sprint(final.Height))
}

// awaitTx polls the node until the transaction with hash is in a block.
func awaitTx(ctx context.Context, clientCtx client.Context, hash string, timeout time.Duration) (*sdk.TxResponse, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	clientCtx = clientCtx.WithCmdContext(ctx)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		if res, err := authtx.QueryTx(clientCtx, hash); err == nil {
			return res, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %s not in a block after %s (see `guildd query tx %s`)", ErrTxNotIncluded, hash, timeout, hash)
		case <-tick.C:
		}
	}
}

// reportTx prints res (JSON as the node returns it, or a summary in text mode) and returns
// ErrTxFailed, with the code and the module's error text, when its code is not zero.
func reportTx(clientCtx client.Context, res *sdk.TxResponse, failure string) error {
	if clientCtx.OutputFormat == flags.OutputFormatJSON {
		if err := clientCtx.PrintProto(res); err != nil {
			return err
		}
	} else {
		printTxSummary(clientCtx.Output, res)
	}
	if res.Code == 0 {
		return nil
	}
	return fmt.Errorf("%w: tx %s %s: code %d (%s): %s", ErrTxFailed, res.TxHash, failure, res.Code, res.Codespace, txErrorText(res.RawLog))
}

// txErrorText strips the SDK's "failed to execute message; message index: N:" wrapper from a
// failed transaction's log, leaving the module's error text.
func txErrorText(log string) string {
	if i := strings.Index(log, "message index: "); i >= 0 {
		rest := log[i+len("message index: "):]
		if j := strings.Index(rest, ": "); j >= 0 {
			return rest[j+2:]
		}
	}
	return log
}

// routineEvents are emitted by every transaction; the summary leaves them out.
var routineEvents = map[string]bool{"tx": true, "message": true, "coin_spent": true, "coin_received": true}

// printTxSummary writes a short human account of res: where it landed, and its events.
func printTxSummary(w io.Writer, res *sdk.TxResponse) {
	status := "ok"
	if res.Code != 0 {
		status = fmt.Sprintf("FAILED code %d (%s): %s", res.Code, res.Codespace, txErrorText(res.RawLog))
	}
	if res.Height > 0 {
		fmt.Fprintf(w, "tx %s in block %d: %s\n", res.TxHash, res.Height, status)
	} else {
		fmt.Fprintf(w, "tx %s accepted (not yet in a block): %s\n", res.TxHash, status)
	}
	if res.GasUsed > 0 {
		fmt.Fprintf(w, "  gas used %d of %d\n", res.GasUsed, res.GasWanted)
	}
	for _, e := range res.Events {
		if routineEvents[e.Type] {
			continue
		}
		attrs := make([]string, 0, len(e.Attributes))
		for _, a := range e.Attributes {
			if a.Key == "msg_index" {
				continue
			}
			attrs = append(attrs, a.Key+"="+humanAttr(a.Key, a.Value))
		}
		sort.Strings(attrs)
		fmt.Fprintf(w, "  %s %s\n", e.Type, strings.Join(attrs, " "))
	}
}

// txCapture passes a command's output through, except the broadcast result (a JSON object with
// a txhash), which it keeps for runAndWait.
type txCapture struct {
	next io.Writer
	raw  []byte
}

func (c *txCapture) Write(p []byte) (int, error) {
	trimmed := bytes.TrimSpace(p)
	if c.raw == nil && bytes.HasPrefix(trimmed, []byte("{")) {
		var probe map[string]json.RawMessage
		if json.Unmarshal(trimmed, &probe) == nil {
			if _, ok := probe["txhash"]; ok {
				c.raw = append([]byte(nil), trimmed...)
				return len(p), nil
			}
		}
	}
	if c.raw != nil && len(trimmed) == 0 {
		return len(p), nil // the newline after the captured result
	}
	return c.next.Write(p)
}

// humanAttr shows a typed event's attribute as a person reads it: a coin as 23uusdc, text
// without its JSON quotes, decimals without trailing zeros.
func humanAttr(key, v string) string {
	var coin struct{ Denom, Amount string }
	if strings.HasPrefix(v, "{") && json.Unmarshal([]byte(v), &coin) == nil && coin.Denom != "" {
		return humanString("", coin.Amount) + coin.Denom
	}
	return humanString(key, strings.Trim(v, `"`))
}
