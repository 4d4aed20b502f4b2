package guards

import (
	"bufio"
	"bytes"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const modulePath = "github.com/guild-network/guild"

// allGoFiles lists every non-generated Go file under dir, test files included.
func allGoFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || name == "build" || strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !isGenerated(path) {
			files = append(files, path)
		}
		return nil
	})
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	return files
}

// importViolations reports the imports of the Go files under dirs (relative to root) that bad
// rejects, as "file:line: imports P (why)".
func importViolations(t *testing.T, root string, dirs []string, bad func(path string) (string, bool)) []string {
	t.Helper()
	var problems []string
	for _, dir := range dirs {
		for _, path := range allGoFiles(t, filepath.Join(root, dir)) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
			require.NoError(t, err)
			rel, _ := filepath.Rel(root, path)
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if why, isBad := bad(p); isBad {
					problems = append(problems, rel+":"+strconv.Itoa(fset.Position(imp.Pos()).Line)+": imports "+p+" ("+why+")")
				}
			}
		}
	}
	return problems
}

var keeperImport = regexp.MustCompile(`^` + regexp.QuoteMeta(modulePath) + `/x/[^/]+/keeper(/|$)`)

// daemonsAndClients are the folders whose code talks to the chain from outside: they use
// x/*/types, internal/encoding and internal/chainclient, never the app or a keeper.
var daemonsAndClients = []string{"daemon", "internal/chainclient"}

func appOrKeeper(p string) (string, bool) {
	switch {
	case p == modulePath+"/app" || strings.HasPrefix(p, modulePath+"/app/"):
		return "the app: build codecs with internal/encoding", true
	case keeperImport.MatchString(p):
		return "a keeper: use the module's types and queries", true
	}
	return "", false
}

// TestDaemonsAndClientsImportNoAppOrKeeper: daemon/** and internal/chainclient (tests included)
// never import app or an x/*/keeper directly, and their packages do not reach app through any
// chain of imports either.
func TestDaemonsAndClientsImportNoAppOrKeeper(t *testing.T) {
	root := repoRoot(t)
	problems := importViolations(t, root, daemonsAndClients, appOrKeeper)
	require.Empty(t, problems, "daemons and clients must not import the app or a keeper:\n%s", strings.Join(problems, "\n"))

	var pkgs []string
	for _, d := range daemonsAndClients {
		if _, err := os.Stat(filepath.Join(root, d)); err == nil {
			pkgs = append(pkgs, "./"+d+"/...")
		}
	}
	cmd := exec.Command("go", append([]string{"list", "-deps", "-test", "-f", "{{.ImportPath}}"}, pkgs...)...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", stderr.String())
	var reach []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if p := sc.Text(); p == modulePath+"/app" {
			reach = append(reach, p)
		}
	}
	require.Empty(t, reach, "a daemon or client package reaches the app through its imports (go list -deps %s)", strings.Join(pkgs, " "))
}

// TestConsensusCodeImportsNoDaemonOrClient: x/** (tests included) never imports a daemon, a
// client, the daemon kit or a command.
func TestConsensusCodeImportsNoDaemonOrClient(t *testing.T) {
	root := repoRoot(t)
	forbidden := map[string]string{
		modulePath + "/daemon":               "a daemon",
		modulePath + "/internal/chainclient": "the chain client",
		modulePath + "/internal/daemonkit":   "the daemon kit",
		modulePath + "/internal/clock":       "the daemon clock (use the block time)",
		modulePath + "/internal/devnet":      "the devnet",
		modulePath + "/cmd":                  "a command",
		modulePath + "/tests":                "the test suites",
	}
	problems := importViolations(t, root, []string{"x"}, func(p string) (string, bool) {
		for prefix, why := range forbidden {
			if p == prefix || strings.HasPrefix(p, prefix+"/") {
				return why, true
			}
		}
		return "", false
	})
	require.Empty(t, problems, "consensus code must not import daemons or clients:\n%s", strings.Join(problems, "\n"))
}

// File size limits (generated code excluded): warn at 500 lines, fail above 800.
const (
	warnLines = 500
	maxLines  = 800
)

// TestFilesAreSmall fails for any Go file over 800 lines and logs those over 500.
func TestFilesAreSmall(t *testing.T) {
	root := repoRoot(t)
	var tooBig []string
	for _, path := range allGoFiles(t, root) {
		bz, err := os.ReadFile(path)
		require.NoError(t, err)
		n := bytes.Count(bz, []byte("\n"))
		if len(bz) > 0 && bz[len(bz)-1] != '\n' {
			n++
		}
		rel, _ := filepath.Rel(root, path)
		switch {
		case n > maxLines:
			tooBig = append(tooBig, rel+": "+strconv.Itoa(n)+" lines")
		case n > warnLines:
			t.Logf("warning: %s has %d lines (split it before it reaches %d)", rel, n, maxLines)
		}
	}
	require.Empty(t, tooBig, "Go files over %d lines (split them by concern):\n%s", maxLines, strings.Join(tooBig, "\n"))
}
