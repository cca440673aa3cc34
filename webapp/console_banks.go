package webapp

import (
	"errors"
	"fmt"
	"io"
	"math"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/store"
)

// bankUpload is what the upload form holds, kept to show it back.
type bankUpload struct {
	Name    string
	Version string
}

type banksData struct {
	Banks []store.BankInfo
	Form  bankUpload
	// File is the uploaded file's name; RowErrors every problem found in it.
	File      string
	RowErrors []bank.RowError
	HasSheets bool
	MaxMB     int
}

func (a *App) consoleBanks(c *gin.Context) {
	a.showBanks(c, http.StatusOK, banksData{}, nil, "")
}

func (a *App) showBanks(c *gin.Context, status int, d banksData, fieldErrors map[string]string, pageError string) {
	banks, err := store.ListBanks(c.Request.Context(), a.consoleDB())
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	d.Banks, d.MaxMB = banks, bank.MaxFileBytes>>20
	for _, e := range d.RowErrors {
		d.HasSheets = d.HasSheets || e.Sheet != ""
	}
	v := a.newConsoleView(c, a.translatorFor(c).T("console.banks.title"), d)
	v.FieldErrors, v.Error = fieldErrors, pageError
	a.renderConsole(c, status, "console_banks", v)
}

// consoleUploadBank imports a bank file all or nothing, as `contest bank import` does: every
// problem in the file is listed and nothing is stored until there are none.
func (a *App) consoleUploadBank(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	// Read only now, once the organizer's session is known (and the body capped by limitBody).
	if err := c.Request.ParseMultipartForm(uploadFormMemory); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			a.consoleFail(c, http.StatusRequestEntityTooLarge, "console.bank.tooLarge", bank.MaxFileBytes>>20)
			return
		}
		a.consoleFail(c, http.StatusBadRequest, "console.badForm")
		return
	}
	d := banksData{Form: bankUpload{Name: strings.TrimSpace(c.PostForm("name")), Version: strings.TrimSpace(c.PostForm("version"))}}
	errs := map[string]string{}
	// The store's rules (store.CheckBankKey), told in the organizer's language.
	version, err := strconv.Atoi(d.Form.Version)
	if err != nil || version < 1 || version > math.MaxInt32 {
		errs["version"] = tr.T("console.bank.badVersion")
	}
	if store.CheckBankKey(d.Form.Name, 1) != nil {
		errs["name"] = tr.T("console.bank.badName")
	}
	parse, fh := bankParser(c, tr, errs)
	if fh != nil {
		d.File = fh.Filename
	}
	if len(errs) > 0 {
		a.showBanks(c, http.StatusUnprocessableEntity, d, errs, tr.T("error.fixBelow"))
		return
	}
	f, err := fh.Open()
	if err != nil {
		a.consoleInternal(c, fmt.Errorf("open uploaded bank: %w", err))
		return
	}
	defer f.Close() // a temporary file or memory: nothing to lose
	b, err := parse(f, bank.ParseOptions{Name: d.Form.Name, Version: version, Topics: bank.PlanTopics()})
	if ie := (*bank.ImportError)(nil); errors.As(err, &ie) {
		d.RowErrors = ie.Errors
		a.showBanks(c, http.StatusUnprocessableEntity, d, nil, tr.T("console.bank.rowErrors", len(ie.Errors)))
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	var created bool
	err = store.InTx(ctx, a.consoleDB(), func(tx store.Querier) error {
		var err error
		if created, err = store.SaveBank(ctx, tx, b); err != nil || !created {
			return err
		}
		return a.audit(c, tx, auditEntry{Action: organizer.ActionBankUpload, Target: fmt.Sprintf("%s/%d", b.Name, b.Version),
			After: map[string]any{"file": d.File, "questions": len(b.Questions), "checksum": b.Checksum()}})
	})
	if conflict := (*store.BankConflictError)(nil); errors.As(err, &conflict) {
		errs["version"] = tr.T("console.bank.conflict", conflict.Name, conflict.Version, conflict.NextVersion)
		a.showBanks(c, http.StatusConflict, d, errs, errs["version"])
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("question bank uploaded", "bank", b.Name, "version", b.Version, "created", created,
		"questions", len(b.Questions), "checksum", b.Checksum())
	saved := "present"
	if created {
		saved = "created"
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/banks/%s/%d?saved=%s", url.PathEscape(b.Name), b.Version, saved))
}

// bankParser picks the parser by the uploaded file's extension, or notes in errs why the
// file cannot be read.
func bankParser(c *gin.Context, tr translator, errs map[string]string) (func(io.Reader, bank.ParseOptions) (*bank.Bank, error), *multipart.FileHeader) {
	fh, err := c.FormFile("file")
	if err != nil {
		errs["file"] = tr.T("console.bank.noFile")
		return nil, nil
	}
	if fh.Size > bank.MaxFileBytes {
		errs["file"] = tr.T("console.bank.tooLarge", bank.MaxFileBytes>>20)
		return nil, fh
	}
	switch strings.ToLower(filepath.Ext(fh.Filename)) {
	case ".csv":
		return bank.ParseCSV, fh
	case ".xlsx":
		return bank.ParseXLSX, fh
	case ".xls":
		errs["file"] = tr.T("console.bank.xls")
	default:
		errs["file"] = tr.T("console.bank.badType")
	}
	return nil, fh
}

type topicCount struct {
	Code, Title string
	Questions   int
}

// bankUse is a round that pins the bank, with the topics it draws more questions from
// than the bank has.
type bankUse struct {
	Title   string
	Missing []string
}

type bankData struct {
	Info   store.BankInfo
	Topics []topicCount
	Uses   []bankUse
}

// consoleBank shows a stored bank version: questions per topic, checksum, the rounds that
// pin it.
func (a *App) consoleBank(c *gin.Context) {
	ctx := c.Request.Context()
	tr := a.translatorFor(c)
	version, err := strconv.Atoi(c.Param("version"))
	if err != nil {
		a.consoleFail(c, http.StatusNotFound, "console.bank.notFound")
		return
	}
	b, err := a.attempts.Bank(ctx, c.Param("name"), version)
	if errors.Is(err, store.ErrBankNotFound) {
		a.consoleFail(c, http.StatusNotFound, "console.bank.notFound")
		return
	}
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	banks, err := store.ListBanks(ctx, a.consoleDB())
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	var d bankData
	for _, info := range banks {
		if info.Name == b.Name && info.Version == b.Version {
			d.Info = info
		}
	}
	counts := b.CountByTopic()
	for _, t := range b.Topics {
		d.Topics = append(d.Topics, topicCount{Code: t.Code, Title: t.Title, Questions: counts[t.Code]})
	}
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	for _, r := range rounds {
		if r.Spec.Exam.Bank.Name != b.Name || int(r.Spec.Exam.Bank.Version) != b.Version {
			continue
		}
		use := bankUse{Title: r.Spec.Title}
		for _, q := range r.Spec.Exam.Topics {
			if have := counts[q.Topic]; have < int(q.Questions) {
				use.Missing = append(use.Missing, tr.T("console.bank.short", q.Topic, q.Questions, have))
			}
		}
		d.Uses = append(d.Uses, use)
	}
	v := a.newConsoleView(c, tr.T("console.bank.title", b.Name, b.Version), d)
	switch c.Query("saved") {
	case "created":
		v.Notice = tr.T("console.bank.created", b.Name, b.Version)
	case "present":
		v.Notice = tr.T("console.bank.present", b.Name, b.Version)
	}
	a.renderConsole(c, http.StatusOK, "console_bank", v)
}
