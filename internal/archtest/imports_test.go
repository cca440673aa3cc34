package archtest

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const module = "github.com/dxcontest/contest-platform"

// pkg is what `go list -json` says of a package.
type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T) map[string]pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps=false", "-json", module+"/...")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("go list: %v\n%s", err, errb.String())
	}
	pkgs := map[string]pkg{}
	dec := json.NewDecoder(&out)
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs[p.ImportPath] = p
	}
	return pkgs
}

// forbidden reports the dependencies of p (direct or not) that start with one of prefixes.
func forbidden(p pkg, prefixes ...string) []string {
	var bad []string
	for _, d := range p.Deps {
		for _, pre := range prefixes {
			if d == pre || strings.HasPrefix(d, pre+"/") || strings.HasPrefix(pre, "k8s.io") && strings.HasPrefix(d, pre) {
				bad = append(bad, d)
			}
		}
	}
	return bad
}

var (
	web  = []string{"github.com/gin-gonic/gin"}
	kube = []string{"k8s.io", "sigs.k8s.io"}
	sql  = []string{"github.com/jackc/pgx/v5"}
)

// The domain packages are plain Go: no HTTP, no Kubernetes, no database.
func TestDomainPackagesArePlainGo(t *testing.T) {
	pkgs := listPackages(t)
	for _, name := range []string{"bank", "exam", "person", "ranking", "regrade", "schedule", "locality", "password", "pow", "organizer", "unit", "banner", "fonts", "certificate", "itemstats", "integrity", "csvsheet", "printable"} {
		p, ok := pkgs[module+"/internal/"+name]
		if !ok {
			t.Errorf("internal/%s is gone: update the package map", name)
			continue
		}
		if bad := forbidden(p, append(append(append([]string{}, web...), kube...), sql...)...); len(bad) > 0 {
			t.Errorf("internal/%s depends on %v", name, bad)
		}
		if bad := forbidden(p, module+"/internal/store", module+"/internal/attempt", module+"/webapp", module+"/controllers", module+"/api"); len(bad) > 0 {
			t.Errorf("internal/%s depends on %v", name, bad)
		}
	}
}

// The attempt service calls the store through its own interface: it knows neither the
// database driver, nor HTTP, nor Kubernetes, nor the store package.
func TestAttemptServiceDependsOnNoAdapter(t *testing.T) {
	p := listPackages(t)[module+"/internal/attempt"]
	if bad := forbidden(p, append(append(append([]string{module + "/internal/store", module + "/webapp"}, web...), kube...), sql...)...); len(bad) > 0 {
		t.Errorf("internal/attempt depends on %v", bad)
	}
}

// selectors returns, for every non-test file of p, the uses of an imported package's
// exported names, as "pkgname.Name".
func selectors(t *testing.T, p pkg, importPath string) map[string][]string {
	t.Helper()
	uses := map[string][]string{}
	fset := token.NewFileSet()
	for _, f := range p.GoFiles {
		file, err := parser.ParseFile(fset, filepath.Join(p.Dir, f), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		local := ""
		for _, imp := range file.Imports {
			if strings.Trim(imp.Path.Value, `"`) == importPath {
				local = filepath.Base(importPath)
				if imp.Name != nil {
					local = imp.Name.Name
				}
			}
		}
		if local == "" {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if se, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := se.X.(*ast.Ident); ok && id.Name == local {
					uses[se.Sel.Name] = append(uses[se.Sel.Name], fset.Position(se.Pos()).String())
				}
			}
			return true
		})
	}
	return uses
}

// Handlers reach attempts only through the attempt service: the web app never names the
// store's attempt table.
func TestWebAppReachesAttemptsThroughTheService(t *testing.T) {
	pkgs := listPackages(t)
	for name, where := range selectors(t, pkgs[module+"/webapp"], module+"/internal/store") {
		if name == "Attempts" || name == "NewAttempts" || strings.Contains(name, "Attempt") {
			t.Errorf("webapp uses store.%s at %v: go through internal/attempt", name, where)
		}
	}
}

// The store implements the service's interface and returns its types, but never calls
// back into it: from internal/attempt it uses types, constants and variables only.
func TestStoreNeverCallsTheService(t *testing.T) {
	pkgs := listPackages(t)
	for name, where := range selectors(t, pkgs[module+"/internal/store"], module+"/internal/attempt") {
		if name == "New" || name == "Service" {
			t.Errorf("internal/store uses attempt.%s at %v: the store must not call the service", name, where)
		}
	}
}

// The operator talks to the ranking Job through the contract package only: it links
// neither the Job's implementation nor the database.
func TestOperatorKnowsTheRankingJobByContractOnly(t *testing.T) {
	p := listPackages(t)[module+"/controllers"]
	if bad := forbidden(p, append([]string{module + "/internal/rankjob", module + "/internal/store", module + "/internal/attempt", module + "/webapp"}, sql...)...); len(bad) > 0 {
		t.Errorf("controllers depends on %v", bad)
	}
	c := listPackages(t)[module+"/internal/rankcontract"]
	for _, imp := range c.Imports {
		if strings.Contains(imp, ".") && imp != module+"/api/v1alpha1" {
			t.Errorf("internal/rankcontract imports %s: it is a leaf (standard library and the API only)", imp)
		}
	}
}

// The API package is the round's contract: of this module it uses only the schedule's
// plain types.
func TestAPIPackageIsALeaf(t *testing.T) {
	p := listPackages(t)[module+"/api/v1alpha1"]
	for _, imp := range p.Imports {
		if strings.HasPrefix(imp, module+"/") && imp != module+"/internal/schedule" {
			t.Errorf("api/v1alpha1 imports %s", imp)
		}
	}
}

// The senders of email and SMS are plain Go with the standard library: the web app writes
// the messages, the senders only deliver them.
func TestNotifyIsALeaf(t *testing.T) {
	p, ok := listPackages(t)[module+"/internal/notify"]
	if !ok {
		t.Fatal("internal/notify is gone: update the package map")
	}
	for _, imp := range p.Imports {
		if strings.Contains(strings.SplitN(imp, "/", 2)[0], ".") {
			t.Errorf("internal/notify imports %s: it uses the standard library only", imp)
		}
	}
}
