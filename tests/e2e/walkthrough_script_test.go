package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWalkthroughScript checks the README runner itself, without a devnet: blocks are taken
// from under the heading only, lines run verbatim, and claims pass or fail the script.
func TestWalkthroughScript(t *testing.T) {
	readme := "# T\n```sh\necho outside\n```\n## Walkthrough\ntext\n```sh\nX=1\necho \"a $X b\"   # `a 1 b` `re:^a [0-9] b$`\n```\n" +
		"### Sub\n```console\necho not run\n```\n```sh\necho \"it's\"   # `it's`\n```\n## Layout\n```sh\necho after\n```\n"
	blocks := walkthroughBlocks(readme)
	require.Equal(t, []string{"X=1\necho \"a $X b\"   # `a 1 b` `re:^a [0-9] b$`\n", "echo \"it's\"   # `it's`\n"}, blocks)
	require.Equal(t, []string{"a 1 b", "re:^a [0-9] b$"}, lineClaims(blocks[0][4:len(blocks[0])-1]))
	require.Empty(t, lineClaims("# a comment with `code`"))

	run := func(blocks []string) error {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "w.sh"), []byte(walkthroughScript(blocks)), 0o644))
		cmd := exec.Command("bash", "w.sh")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "OUT="+filepath.Join(dir, "out"))
		out, err := cmd.CombinedOutput()
		t.Logf("%s", out)
		return err
	}
	require.NoError(t, run(blocks))
	require.Error(t, run([]string{"echo b   # `a`\n"}), "an unmet claim fails")
	require.Error(t, run([]string{"false\necho never\n"}), "a failing command fails")
}
