package guards

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"
)

// knownExceptions are modules that do not follow a module rule yet, by rule. There are none;
// an entry here must name the issue that removes it.
var knownExceptions = map[string]map[string]bool{
	"msg_server_files":       {},
	"unexported_collections": {},
}

var rpcLine = regexp.MustCompile(`(?m)^\s*rpc\s+(\w+)\s*\(`)

// snakeCase turns an rpc name into its file name part: ReportDeployment → report_deployment.
func snakeCase(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"Book": "book", "ReportDeployment": "report_deployment", "GovCloseLease": "gov_close_lease",
		"UpdateParams": "update_params", "SetURI": "set_uri", "AddNFTPosition": "add_nft_position",
	} {
		require.Equal(t, want, snakeCase(in), in)
	}
}

// moduleTxProtos maps each module name to its proto/guild/<module>/v1/tx.proto.
func moduleTxProtos(t *testing.T, root string) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(root, "proto", "guild", "*", "v1", "tx.proto"))
	require.NoError(t, err)
	out := map[string]string{}
	for _, p := range paths {
		out[filepath.Base(filepath.Dir(filepath.Dir(p)))] = p
	}
	return out
}

// missingMsgServerFiles lists, for one module, the rpcs of its tx.proto that have no
// x/<module>/keeper/msg_server_<snake_case>.go (and no test beside it).
func missingMsgServerFiles(t *testing.T, root, module, protoPath string) []string {
	t.Helper()
	src, err := os.ReadFile(protoPath)
	require.NoError(t, err)
	var missing []string
	for _, m := range rpcLine.FindAllStringSubmatch(string(src), -1) {
		base := filepath.Join(root, "x", module, "keeper", "msg_server_"+snakeCase(m[1]))
		for _, f := range []string{base + ".go", base + "_test.go"} {
			if _, err := os.Stat(f); err != nil {
				rel, _ := filepath.Rel(root, f)
				missing = append(missing, "rpc "+m[1]+": no "+rel)
			}
		}
	}
	return missing
}

// TestEveryTxRPCHasItsMsgServerFile: every rpc of every module's tx.proto has its handler
// file msg_server_<snake_case>.go, with its test, in x/<module>/keeper.
func TestEveryTxRPCHasItsMsgServerFile(t *testing.T) {
	root := repoRoot(t)
	protos := moduleTxProtos(t, root)
	require.NotEmpty(t, protos)
	var problems []string
	for module, p := range protos {
		missing := missingMsgServerFiles(t, root, module, p)
		if knownExceptions["msg_server_files"][module] {
			t.Logf("x/%s: known exception: %d handler files missing", module, len(missing))
			continue
		}
		for _, m := range missing {
			problems = append(problems, "x/"+module+": "+m)
		}
	}
	sort.Strings(problems)
	require.Empty(t, problems, "one msg_server_<verb>.go (and its _test.go) per Msg:\n%s", strings.Join(problems, "\n"))
}

// exportedCollectionFields lists the exported fields of the keeper package's *Keeper structs
// under dir whose type is a collections or modkit state type.
func exportedCollectionFields(t *testing.T, root, dir string) []string {
	t.Helper()
	var out []string
	for _, path := range goFiles(t, dir) {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		require.NoError(t, err)
		rel, _ := filepath.Rel(root, path)
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || !strings.HasSuffix(ts.Name.Name, "Keeper") {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, field := range st.Fields.List {
				if !isStateType(field.Type) {
					continue
				}
				for _, name := range field.Names {
					if name.IsExported() {
						out = append(out, rel+": "+ts.Name.Name+"."+name.Name)
					}
				}
			}
			return false
		})
	}
	return out
}

// isStateType reports whether a field type is (a pointer to, an instance of) a type of the
// collections package or modkit's partial index.
func isStateType(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && (id.Name == "collections" || (id.Name == "modkit" && strings.HasPrefix(sel.Sel.Name, "Partial"))) {
				found = true
			}
		}
		return !found
	})
	return found
}

// TestNoKeeperExportsACollection: keeper state is reached through keeper methods; tests use
// export_test.go.
func TestNoKeeperExportsACollection(t *testing.T) {
	root := repoRoot(t)
	mods, err := os.ReadDir(filepath.Join(root, "x"))
	require.NoError(t, err)
	var problems []string
	for _, m := range mods {
		dir := filepath.Join(root, "x", m.Name(), "keeper")
		if !m.IsDir() {
			continue
		}
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		fields := exportedCollectionFields(t, root, dir)
		if knownExceptions["unexported_collections"][m.Name()] {
			t.Logf("x/%s: known exception: %d exported collection fields", m.Name(), len(fields))
			continue
		}
		problems = append(problems, fields...)
	}
	require.Empty(t, problems, "keepers must not export collections (unexport them; tests use export_test.go):\n%s", strings.Join(problems, "\n"))
}
