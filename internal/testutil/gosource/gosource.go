// Package gosource reads a package's Go files for tests that check what the code names,
// such as every translation key it uses being in the catalogs.
package gosource

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// File is one parsed non-test Go file.
type File struct {
	Fset *token.FileSet
	AST  *ast.File
}

// Pos names a position as path:line.
func (f File) Pos(p token.Pos) string {
	pos := f.Fset.Position(p)
	return pos.Filename + ":" + strconv.Itoa(pos.Line)
}

// Parse reads every non-test Go file of the package in dir.
func Parse(t testing.TB, dir string) []File {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var files []File
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, File{Fset: fset, AST: f})
	}
	if len(files) == 0 {
		t.Fatalf("no Go files in %s", dir)
	}
	return files
}

// String returns the value of a string literal, and whether e is one.
func String(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// StringConstants returns the package's string constants given by a literal, by name.
func StringConstants(t testing.TB, dir string) map[string]string {
	t.Helper()
	consts := map[string]string{}
	for _, f := range Parse(t, dir) {
		for _, decl := range f.AST.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := String(vs.Values[i]); ok {
							consts[name.Name] = s
						}
					}
				}
			}
		}
	}
	return consts
}
