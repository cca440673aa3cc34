package webapp

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// The contest's unit list in the console, for editors: the units as a tree with how many
// people chose each, and the upload of a new list (CSV or XLSX), all or nothing, as
// `contest unit import` does. A unit people chose cannot leave the list; the page says
// which and why.

// unitsPageRows bounds a page of the tree: a province has a few thousand units.
const unitsPageRows = 200

// unitRow is a unit as the page lists it, in the tree's order.
type unitRow struct {
	Code, Name, Parent, TypeLabel, Aliases string
	Depth                                  int
	// Headcount is the list's headcount as shown, "" when the list gives none.
	Headcount string
	// People chose exactly this unit; Subtree counts the units under it too.
	People, Subtree int64
}

type unitsData struct {
	Rows []unitRow
	// Units in the list, top-level ones, people with a unit and people with free text only.
	Units, Top       int
	UnitCount        int64
	People, FreeText int64
	Query            string
	// Page of Pages; Prev and Next are the pages around it, 0 for none.
	Page, Pages, Prev, Next int
	// Matches is how many units the query found (all of them without one).
	Matches int
	// The upload: the file's name, every problem in it, and the codes it would remove
	// that people chose.
	File      string
	RowErrors []unit.RowError
	InUse     []unitRow
	MaxMB     int
}

func (a *App) consoleUnits(c *gin.Context) {
	a.showUnits(c, http.StatusOK, unitsData{}, nil, "")
}

func (a *App) showUnits(c *gin.Context, status int, d unitsData, fieldErrors map[string]string, pageError string) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	us, err := store.ListUnits(ctx, a.consoleDB(), a.cfg.ContestID)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	perUnit, freeText, err := store.UnitRegistrations(ctx, a.consoleDB(), a.cfg.ContestID)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	rows := unitTree(us, perUnit, tr)
	d.Units, d.UnitCount, d.FreeText, d.MaxMB = len(us), int64(len(us)), freeText, unit.MaxFileBytes>>20
	for _, r := range rows {
		d.People += r.People
		if r.Depth == 0 {
			d.Top++
		}
	}
	if d.InUse != nil { // the codes a refused upload would remove, with their people
		byCode := map[string]unitRow{}
		for _, r := range rows {
			byCode[r.Code] = r
		}
		for i, r := range d.InUse {
			if full, ok := byCode[r.Code]; ok {
				d.InUse[i] = full
			}
		}
	}
	d.Query = strings.TrimSpace(c.Query("q"))
	if d.Query != "" {
		rows = filterUnits(rows, us, d.Query)
	}
	d.Matches = len(rows)
	d.Pages = max(1, (len(rows)+unitsPageRows-1)/unitsPageRows)
	d.Page, _ = strconv.Atoi(c.Query("page"))
	d.Page = min(max(d.Page, 1), d.Pages)
	if d.Page > 1 {
		d.Prev = d.Page - 1
	}
	if d.Page < d.Pages {
		d.Next = d.Page + 1
	}
	d.Rows = rows[min((d.Page-1)*unitsPageRows, len(rows)):min(d.Page*unitsPageRows, len(rows))]
	v := a.newConsoleView(c, tr.T("console.units.title"), d)
	v.FieldErrors, v.Error = fieldErrors, pageError
	if c.Query("done") == "import" {
		v.Notice = tr.T("console.units.imported", atoiQuery(c, "units"), atoiQuery(c, "added"), atoiQuery(c, "changed"), atoiQuery(c, "removed"))
	}
	a.renderConsole(c, status, "console_units", v)
}

func atoiQuery(c *gin.Context, name string) int {
	n, _ := strconv.Atoi(c.Query(name))
	return max(n, 0)
}

// unitTree lists units in the tree's order (each unit followed by the units under it, in
// the list's order), with their depth, their people and the people of their subtree.
func unitTree(us []unit.Unit, perUnit map[string]int64, tr translator) []unitRow {
	children := map[string][]int{}
	byCode := make(map[string]int, len(us))
	for i, u := range us {
		byCode[u.Code] = i
		children[u.ParentCode] = append(children[u.ParentCode], i)
	}
	rows := make([]unitRow, 0, len(us))
	var walk func(parent string, depth int) int64
	walk = func(parent string, depth int) int64 {
		var total int64
		// The list is a tree at most unit.MaxDepth deep (unit.Validate); the bound only
		// guards against a list built in code.
		if depth >= unit.MaxDepth {
			return 0
		}
		for _, i := range children[parent] {
			u := us[i]
			r := unitRow{Code: u.Code, Name: u.Name, TypeLabel: u.Type.Label(tr.lang), Aliases: strings.Join(u.Aliases, "; "),
				Depth: depth, People: perUnit[u.Code]}
			if u.Headcount != nil {
				r.Headcount = tr.Number(int64(*u.Headcount))
			}
			if p, ok := byCode[u.ParentCode]; ok {
				r.Parent = us[p].Name
			}
			at := len(rows)
			rows = append(rows, r)
			rows[at].Subtree = r.People + walk(u.Code, depth+1)
			total += rows[at].Subtree
		}
		return total
	}
	walk("", 0)
	return rows
}

// filterUnits keeps the rows whose code, name or alias contains the query, compared as
// internal/unit compares names (no case, no diacritics).
func filterUnits(rows []unitRow, us []unit.Unit, query string) []unitRow {
	k := unit.Key(query)
	keys := make(map[string]string, len(us))
	for _, u := range us {
		keys[u.Code] = unit.Key(strings.Join(append([]string{u.Code, u.Name}, u.Aliases...), "\n"))
	}
	var out []unitRow
	for _, r := range rows {
		if strings.Contains(keys[r.Code], k) {
			out = append(out, r)
		}
	}
	return out
}

// consoleUploadUnits replaces the contest's unit list with an uploaded file, all or
// nothing: every problem in the file is listed, and a list that would remove units people
// chose is refused with those units named.
func (a *App) consoleUploadUnits(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	// Read only now, once the organizer's session is known (and the body capped by limitBody).
	if err := c.Request.ParseMultipartForm(uploadFormMemory); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			a.consoleFail(c, http.StatusRequestEntityTooLarge, "console.units.tooLarge", unit.MaxFileBytes>>20)
			return
		}
		a.consoleFail(c, http.StatusBadRequest, "console.badForm")
		return
	}
	var d unitsData
	errs := map[string]string{}
	parse, fh := unitParser(c, tr, errs)
	if fh != nil {
		d.File = fh.Filename
	}
	if len(errs) > 0 {
		a.showUnits(c, http.StatusUnprocessableEntity, d, errs, tr.T("error.fixBelow"))
		return
	}
	f, err := fh.Open()
	if err != nil {
		a.consoleInternal(c, fmt.Errorf("open uploaded unit list: %w", err))
		return
	}
	defer f.Close() // a temporary file or memory: nothing to lose
	sum := sha256.New()
	us, err := parse(io.TeeReader(f, sum))
	if ie := (*unit.ImportError)(nil); errors.As(err, &ie) {
		d.RowErrors = ie.Errors
		a.showUnits(c, http.StatusUnprocessableEntity, d, nil, tr.T("console.units.rowErrors", len(ie.Errors)))
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	var change store.UnitListChange
	err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		var err error
		if change, err = store.ReplaceUnitsIn(ctx, tx, a.cfg.ContestID, us); err != nil {
			return err
		}
		return a.audit(c, tx, auditEntry{Action: organizer.ActionUnitsImport, Target: a.cfg.ContestID,
			Before: map[string]any{"units": change.Before},
			After: map[string]any{"file": d.File, "bytes": fh.Size, "sha256": hex.EncodeToString(sum.Sum(nil)),
				"units": change.After, "added": change.Added, "changed": change.Changed, "removed": change.Removed}})
	})
	if inUse := (*store.UnitInUseError)(nil); errors.As(err, &inUse) {
		d.InUse = make([]unitRow, len(inUse.Codes))
		for i, code := range inUse.Codes {
			d.InUse[i] = unitRow{Code: code}
		}
		a.showUnits(c, http.StatusConflict, d, nil, tr.T("console.units.inUse", len(inUse.Codes)))
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.units.forget()
	a.unitSearches.clear()
	a.log(c).Info("unit list uploaded", "contest", a.cfg.ContestID, "units", change.After, "added", change.Added,
		"changed", change.Changed, "removed", change.Removed, "by", c.GetString("organizer"))
	q := url.Values{"done": {"import"}, "units": {strconv.Itoa(change.After)}, "added": {strconv.Itoa(change.Added)},
		"changed": {strconv.Itoa(change.Changed)}, "removed": {strconv.Itoa(change.Removed)}}
	c.Redirect(http.StatusSeeOther, "/console/units?"+q.Encode())
}

// unitParser picks the parser by the uploaded file's extension, or notes in errs why the
// file cannot be read.
func unitParser(c *gin.Context, tr translator, errs map[string]string) (func(io.Reader) ([]unit.Unit, error), *multipart.FileHeader) {
	fh, err := c.FormFile("file")
	if err != nil {
		errs["file"] = tr.T("console.units.noFile")
		return nil, nil
	}
	if fh.Size > unit.MaxFileBytes {
		errs["file"] = tr.T("console.units.tooLarge", unit.MaxFileBytes>>20)
		return nil, fh
	}
	switch strings.ToLower(filepath.Ext(fh.Filename)) {
	case ".csv":
		return unit.Parse, fh
	case ".xlsx":
		return unit.ParseXLSX, fh
	case ".xls":
		errs["file"] = tr.T("console.bank.xls")
	default:
		errs["file"] = tr.T("console.bank.badType")
	}
	return nil, fh
}
