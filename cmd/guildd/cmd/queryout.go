package cmd

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/client/flags"
)

// humanQueries makes `--output text` (the devnet's default) readable by people while
// `--output json` stays the node's exact protobuf JSON for scripts. In text mode every query's
// JSON answer is rewritten before it is printed as YAML:
//
//   - hashes and keys (fields named hash, *_hash, pub_key) in hex instead of base64;
//   - unix times (fields *_at, *_until, *_deadline, last_heartbeat) as the date in UTC with the
//     time from now, "not set" for 0 and "never" beyond a hundred years;
//   - durations in seconds (min_cover, *_period, *_timeout, *_notice) with a readable duration;
//   - decimals without their trailing zeros (0.050000000000000000uusdc → 0.05uusdc).
//
// An answer with nothing in it (`{}`, as for an address that never deposited) is printed as
// such with a note on stderr, instead of an unexplained empty object.
func humanQueries(query *cobra.Command) {
	walk(query, func(c *cobra.Command) {
		if c.RunE == nil || c.Flags().Lookup(flags.FlagOutput) == nil || c.Name() == "tx" {
			return
		}
		run := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error { return runHuman(cmd, args, run) }
	})
}

// now is the clock of human output; tests replace it.
var now = time.Now

func runHuman(cmd *cobra.Command, args []string, run func(*cobra.Command, []string) error) error {
	f := cmd.Flags()
	format := client.GetClientContextFromCmd(cmd).OutputFormat
	if f.Changed(flags.FlagOutput) {
		format, _ = f.GetString(flags.FlagOutput)
	}
	out := cmd.OutOrStdout()
	var buf bytes.Buffer
	_ = f.Set(flags.FlagOutput, flags.OutputFormatJSON)
	cmd.SetOut(&buf)
	if err := client.SetCmdClientContext(cmd, client.GetClientContextFromCmd(cmd).WithOutput(&buf)); err != nil {
		return err
	}
	err := run(cmd, args)
	cmd.SetOut(out)
	raw := bytes.TrimSpace(buf.Bytes())
	if len(raw) > 0 && bytes.Equal(raw, []byte("{}")) {
		fmt.Fprintf(cmd.ErrOrStderr(), "note: nothing found for %s %s\n", cmd.CommandPath(), strings.Join(args, " "))
	}
	if format == flags.OutputFormatJSON {
		_, werr := out.Write(buf.Bytes())
		if err == nil {
			err = werr
		}
		return err
	}
	if werr := writeHuman(out, buf.Bytes()); err == nil {
		err = werr
	}
	return err
}

// writeHuman prints a JSON answer as YAML with humanized values; anything else unchanged.
func writeHuman(w io.Writer, raw []byte) error {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		_, err := w.Write(raw)
		return err
	}
	human, err := yaml.Marshal(humanize("", doc))
	if err != nil {
		return err
	}
	_, err = w.Write(human)
	return err
}

var trailingZeros = regexp.MustCompile(`^(-?\d+)\.(\d*?)0+([a-zA-Z][a-zA-Z0-9/:._-]*)?$`)

func humanize(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = humanize(k, e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = humanize(key, e)
		}
		return x
	case string:
		return humanString(key, x)
	}
	return v
}

func humanString(key, s string) string {
	switch {
	case key == "hash" || strings.HasSuffix(key, "_hash") || key == "pub_key":
		if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) > 0 {
			return hex.EncodeToString(b)
		}
	case strings.HasSuffix(key, "_at") || strings.HasSuffix(key, "_until") || strings.HasSuffix(key, "_deadline") ||
		key == "last_heartbeat":
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return humanTime(n, now())
		}
	case key == "min_cover" || strings.HasSuffix(key, "_period") || strings.HasSuffix(key, "_timeout") ||
		strings.HasSuffix(key, "_notice"):
		if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
			return fmt.Sprintf("%s (%s)", s, humanDuration(n))
		}
	}
	if m := trailingZeros.FindStringSubmatch(s); m != nil {
		if m[2] == "" {
			return m[1] + m[3]
		}
		return m[1] + "." + m[2] + m[3]
	}
	return s
}

// farFuture is where a time stops meaning anything to a person: funded_until of a tiny rate.
const farFuture = 100 * 365 * 24 * time.Hour

// humanTime renders unix seconds as "2026-12-01 09:30:00 UTC (in 2h5m)".
func humanTime(sec int64, at time.Time) string {
	if sec == 0 {
		return "not set"
	}
	t := time.Unix(sec, 0).UTC()
	d := t.Sub(at)
	if d > farFuture || sec > 1<<40 {
		return fmt.Sprintf("never (%d: the year %d)", sec, t.Year())
	}
	rel := humanDuration(int64(d.Round(time.Second) / time.Second))
	if d >= 0 {
		rel = "in " + rel
	} else {
		rel = humanDuration(int64(-d.Round(time.Second)/time.Second)) + " ago"
	}
	return fmt.Sprintf("%s (%s)", t.Format("2006-01-02 15:04:05 UTC"), rel)
}

// humanDuration renders seconds as 7d, 14d, 1h30m, 45s.
func humanDuration(sec int64) string {
	if sec < 0 {
		sec = -sec
	}
	if sec == 0 {
		return "0s"
	}
	parts := []struct {
		unit string
		size int64
	}{{"y", 365 * 86400}, {"d", 86400}, {"h", 3600}, {"m", 60}, {"s", 1}}
	var b strings.Builder
	shown := 0
	for _, p := range parts {
		if n := sec / p.size; n > 0 && shown < 2 {
			fmt.Fprintf(&b, "%d%s", n, p.unit)
			sec -= n * p.size
			shown++
		} else if shown > 0 {
			shown = 2 // only adjacent units: 1d2h, not 1d5s
		}
	}
	return b.String()
}
