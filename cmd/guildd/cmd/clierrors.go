package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cosmos/cosmos-sdk/client/flags"
)

// cleanErrors wraps every command's RunE so that its error reads as one sentence: gRPC's
// "rpc error: code = X desc = " said once at most, no source file paths, and, when a key or
// address cannot be found and --home was not given while a devnet home exists, a hint to
// pass it.
func cleanErrors(root *cobra.Command) {
	walk(root, func(c *cobra.Command) {
		if c.RunE == nil {
			return
		}
		run := c.RunE
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := run(cmd, args)
			if err == nil {
				return nil
			}
			return &cliError{err: err, text: cleanErrorText(err.Error()) + homeHint(cmd, err.Error())}
		}
	})
}

// cliError keeps the cause for errors.Is while printing the cleaned text.
type cliError struct {
	err  error
	text string
}

func (e *cliError) Error() string { return e.text }
func (e *cliError) Unwrap() error { return e.err }

var (
	rpcPrefix  = regexp.MustCompile(`rpc error: code = (\w+) desc = `)
	sourcePath = regexp.MustCompile(`\s*\[?(/[^\s\[\]:]+\.go:\d+)\]?`)
	withStack  = regexp.MustCompile(`\s*\[[^\]]*\.go:\d+[^\]]*\]`)
	// A refused simulation (--gas auto) wraps the module's error in the SDK's message-index
	// prefix and a gas suffix.
	simWrapper = regexp.MustCompile(`failed to execute message; message index: \d+: `)
	simGas     = regexp.MustCompile(` with gas used: '\d+'(: unknown request)?`)
)

// cleanErrorText says the gRPC code once (as "not found:", "invalid argument:"…) and drops
// source paths the SDK appends to errors returned by queries.
func cleanErrorText(s string) string {
	s = simWrapper.ReplaceAllString(s, "")
	s = simGas.ReplaceAllString(s, "")
	s = withStack.ReplaceAllString(s, "")
	s = sourcePath.ReplaceAllString(s, "")
	codes := rpcPrefix.FindAllStringSubmatch(s, -1)
	if len(codes) == 0 {
		return s
	}
	s = rpcPrefix.ReplaceAllString(s, "")
	code := codes[0][1]
	if code == "Unknown" || code == "Internal" {
		return s
	}
	return strings.ToLower(strings.Join(splitCamel(code), " ")) + ": " + s
}

func splitCamel(s string) []string {
	var words []string
	start := 0
	for i := 1; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			words = append(words, s[start:i])
			start = i
		}
	}
	return append(words, s[start:])
}

// homeHint suggests --home when the error looks like a key or address the default home does
// not have and --home was not given.
func homeHint(cmd *cobra.Command, text string) string {
	if f := cmd.Flags().Lookup(flags.FlagHome); f == nil || f.Changed {
		return ""
	}
	if os.Getenv("GUILDD_HOME") != "" {
		return ""
	}
	if !strings.Contains(text, "key not found") && !strings.Contains(text, "bech32") &&
		!strings.Contains(text, "not found: key") {
		return ""
	}
	dev := filepath.Join(filepath.Dir(DefaultNodeHome), ".guild-dev")
	return fmt.Sprintf("\nhint: without --home this used %s; guildd dev keeps its keys and client config in %s: add --home %s", DefaultNodeHome, dev, dev)
}
