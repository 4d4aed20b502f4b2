package guards

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// appCreators are the only functions of the command packages allowed to build the app: the
// node's app creator and its exporter, which the SDK's server commands call.
var appCreators = map[string]bool{"newApp": true, "exportApp": true}

// appNewCalls reports every call of the app package's New in the given (non-test) files that
// is outside an allowed function, as "file:line: app.New in F".
func appNewCalls(t *testing.T, root string, files []string) []string {
	t.Helper()
	var problems []string
	for _, path := range files {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		require.NoError(t, err)
		local := ""
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == modulePath+"/app" {
				local = "app"
				if imp.Name != nil {
					local = imp.Name.Name
				}
			}
		}
		if local == "" || local == "_" {
			continue
		}
		rel, _ := filepath.Rel(root, path)
		check := func(in string, body ast.Node) {
			ast.Inspect(body, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "New" {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); ok && id.Name == local && !appCreators[in] {
					problems = append(problems, rel+":"+strconv.Itoa(fset.Position(sel.Pos()).Line)+": "+local+".New in "+in)
				}
				return true
			})
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				if fd.Body != nil {
					check(fd.Name.Name, fd.Body)
				}
				continue
			}
			check("package-level declaration", d) // a var initialiser is no app creator
		}
	}
	return problems
}

// TestCLIBuildsNoThrowawayApp: cmd/** builds the app only in the node's app creator and
// exporter. Codecs come from internal/encoding and AutoCLI's options from the modules
// (cmd/guildd/cmd/autocli_modules.go); a value of app.New is never passed (a reference such as
// `server.AddCommands(…, newApp, …)` is how the SDK calls the creator).
func TestCLIBuildsNoThrowawayApp(t *testing.T) {
	root := repoRoot(t)
	problems := appNewCalls(t, root, goFiles(t, filepath.Join(root, "cmd")))
	require.Empty(t, problems, "the CLI must not build an app outside newApp/exportApp:\n%s", strings.Join(problems, "\n"))
}

// TestAppNewGuardCatchesAViolation runs the guard on a file that builds a throwaway app for a
// codec, as cmd/guildd/cmd/ado.go once did.
func TestAppNewGuardCatchesAViolation(t *testing.T) {
	dir := t.TempDir()
	src := `package cmd

import (
	guildapp "github.com/guild-network/guild/app"
)

var early = guildapp.New(nil, nil, false, nil)

func newApp() any { return guildapp.New(nil, nil, true, nil) }

func adoCodec() any {
	return guildapp.New(nil, nil, false, nil).EncodingConfig().Codec
}
`
	path := filepath.Join(dir, "ado.go")
	require.NoError(t, os.WriteFile(path, []byte(src), 0o600))
	require.Equal(t, []string{
		"ado.go:7: guildapp.New in package-level declaration",
		"ado.go:12: guildapp.New in adoCodec",
	}, appNewCalls(t, dir, []string{path}))
}
