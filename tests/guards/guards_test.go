// Package guards holds tests that enforce the house rules on the source tree: consensus code is
// deterministic, every package is documented, and module error codes are valid and unique.
package guards

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	return root
}

func isGenerated(path string) bool {
	return strings.HasSuffix(path, ".pb.go") || strings.HasSuffix(path, ".pb.gw.go") || strings.HasSuffix(path, ".pulsar.go")
}

// goFiles lists the non-test, non-generated Go files under dir.
func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") && !isGenerated(path) {
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

// forbiddenImports may not appear in consensus code: randomness, I/O and the network.
var forbiddenImports = map[string]string{
	"math/rand":    "randomness",
	"math/rand/v2": "randomness",
	"crypto/rand":  "randomness",
	"os":           "I/O",
	"io/ioutil":    "I/O",
	"net":          "network",
	"net/http":     "network",
	"os/exec":      "processes",
	"unsafe":       "unsafe memory",
}

// TestConsensusCodeIsDeterministic scans x/ and app/ for wall-clock time, randomness, floats,
// goroutines, I/O and ranging over maps declared in the same function.
func TestConsensusCodeIsDeterministic(t *testing.T) {
	root := repoRoot(t)
	var problems []string
	for _, dir := range []string{"x", "app"} {
		for _, path := range goFiles(t, filepath.Join(root, dir)) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			require.NoError(t, err)
			rel, _ := filepath.Rel(root, path)
			report := func(pos token.Pos, what string) {
				problems = append(problems, rel+":"+strconv.Itoa(fset.Position(pos).Line)+": "+what)
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if why, bad := forbiddenImports[p]; bad {
					report(imp.Pos(), "imports "+p+" ("+why+")")
				}
			}
			mapVars := map[string]bool{}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.SelectorExpr:
					if id, ok := n.X.(*ast.Ident); ok && id.Name == "time" && (n.Sel.Name == "Now" || n.Sel.Name == "Since" || n.Sel.Name == "Until") {
						report(n.Pos(), "uses time."+n.Sel.Name+" (use the block header time)")
					}
				case *ast.Ident:
					if n.Name == "float32" || n.Name == "float64" {
						report(n.Pos(), "uses "+n.Name+" (use integers or LegacyDec)")
					}
				case *ast.GoStmt:
					report(n.Pos(), "starts a goroutine")
				case *ast.AssignStmt:
					for i, rhs := range n.Rhs {
						if isMapExpr(rhs) && i < len(n.Lhs) {
							if id, ok := n.Lhs[i].(*ast.Ident); ok {
								mapVars[id.Name] = true
							}
						}
					}
				case *ast.ValueSpec:
					if _, ok := n.Type.(*ast.MapType); ok {
						for _, name := range n.Names {
							mapVars[name.Name] = true
						}
					}
				case *ast.RangeStmt:
					if isMapExpr(n.X) {
						report(n.Pos(), "ranges over a map literal")
					} else if id, ok := n.X.(*ast.Ident); ok && mapVars[id.Name] {
						report(n.Pos(), "ranges over map "+id.Name+" (iteration order is random)")
					}
				}
				return true
			})
		}
	}
	require.Empty(t, problems, "non-deterministic constructs in consensus code:\n%s", strings.Join(problems, "\n"))
}

func isMapExpr(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.CompositeLit:
		_, ok := e.Type.(*ast.MapType)
		return ok
	case *ast.CallExpr:
		if id, ok := e.Fun.(*ast.Ident); ok && id.Name == "make" && len(e.Args) > 0 {
			_, ok := e.Args[0].(*ast.MapType)
			return ok
		}
	}
	return false
}

// TestEveryPackageHasDocComment checks that each package has a "// Package name …" (or, for
// commands, "// Command name …") comment in at least one non-test file.
func TestEveryPackageHasDocComment(t *testing.T) {
	root := repoRoot(t)
	dirs := map[string][]string{}
	for _, path := range goFiles(t, root) {
		dirs[filepath.Dir(path)] = append(dirs[filepath.Dir(path)], path)
	}
	var missing []string
	for dir, files := range dirs {
		documented := false
		name := ""
		for _, path := range files {
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.PackageClauseOnly)
			require.NoError(t, err)
			name = f.Name.Name
			if f.Doc == nil {
				continue
			}
			text := f.Doc.Text()
			if strings.HasPrefix(text, "Package "+name+" ") || strings.HasPrefix(text, "Package "+name+"\n") ||
				(name == "main" && strings.HasPrefix(text, "Command ")) {
				documented = true
			}
		}
		if !documented {
			rel, _ := filepath.Rel(root, dir)
			missing = append(missing, rel+" (package "+name+")")
		}
	}
	require.Empty(t, missing, "packages without a // Package doc comment:\n%s", strings.Join(missing, "\n"))
}

var registerCall = regexp.MustCompile(`errorsmod\.Register\(\s*ModuleName\s*,\s*(\d+)\s*,`)

// TestModuleErrorCodes checks that every module registers its errors with codes ≥ 2, each once.
func TestModuleErrorCodes(t *testing.T) {
	root := repoRoot(t)
	mods, err := os.ReadDir(filepath.Join(root, "x"))
	if os.IsNotExist(err) {
		return
	}
	require.NoError(t, err)
	for _, m := range mods {
		if !m.IsDir() {
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, "x", m.Name(), "types", "errors.go"))
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		seen := map[int]bool{}
		matches := registerCall.FindAllStringSubmatch(string(src), -1)
		require.NotEmpty(t, matches, "x/%s registers no errors", m.Name())
		for _, match := range matches {
			code, _ := strconv.Atoi(match[1])
			require.GreaterOrEqual(t, code, 2, "x/%s: error code %d (0 and 1 are reserved)", m.Name(), code)
			require.False(t, seen[code], "x/%s: error code %d registered twice", m.Name(), code)
			seen[code] = true
		}
	}
}
