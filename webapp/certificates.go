package webapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"net/http"
	"runtime"
	"strings"

	"github.com/gin-gonic/gin"
	lru "github.com/hashicorp/golang-lru/v2"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/certificate"
	"github.com/dxcontest/contest-platform/internal/organizer"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Certificates (docs/web.md, "Certificates"): once a round's results are published, each
// person ranked in it downloads a certificate of participation, and each prize winner one of
// the prize, from "my attempts"; organizers download the round's prize certificates as one
// PDF. Each carries a verification code anyone checks at /verify/CODE (verify.go).

// prizeRed is the colour of a prize certificate's title and prize, as Vietnamese
// certificates print them; the rest wears the site's colours.
var prizeRed = color.RGBA{0xb4, 0x1e, 0x1e, 0xff}

const (
	// certCacheEntries bounds the drawn certificates a replica keeps (about 30 KB each:
	// 8 MB at most).
	certCacheEntries = 256
	// certBulkMax bounds the pages of the organizers' file (a round's prizes are a dozen).
	certBulkMax = 500
)

// certKey names one drawn certificate. The ranking's time and the publication's are in it,
// so a re-rank or a new publication draws anew (the old copies age out); the address base
// is in it because the verification URL is printed.
type certKey struct {
	round             string
	contestant        int64
	kind              certificate.Kind
	prize             string
	ranked, published int64
	base              string
}

type certificates struct {
	codes certificate.Codes
	cache *lru.Cache[certKey, []byte]
	// gate bounds the drawings in flight (each allocates about 10 MB for a moment).
	gate chan struct{}
	// perAddress bounds the verifications an address asks for.
	perAddress *keyLimiter
}

func newCertificates(key []byte) (*certificates, error) {
	cache, err := lru.New[certKey, []byte](certCacheEntries)
	if err != nil {
		return nil, fmt.Errorf("certificate cache: %w", err)
	}
	return &certificates{codes: certificate.NewCodes(key), cache: cache,
		gate: make(chan struct{}, runtime.GOMAXPROCS(0)), perAddress: newKeyLimiter(5, 50)}, nil
}

// draw writes certificates under the gate.
func (cs *certificates) draw(ctx context.Context, colors certificate.Colors, pages []certificate.Certificate) ([]byte, error) {
	select {
	case cs.gate <- struct{}{}:
		defer func() { <-cs.gate }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var buf bytes.Buffer
	if err := certificate.Write(&buf, colors, pages...); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (a *App) certificateColors() certificate.Colors {
	return certificate.Colors{Primary: a.banners.palette.Primary, Accent: prizeRed}
}

// certificateSubject is what the certificate of h of the given kind vouches for.
func certificateSubject(h store.CertificateHolder, kind certificate.Kind) certificate.Subject {
	s := certificate.Subject{Round: h.Round, Contestant: h.ContestantID, Kind: kind}
	if kind == certificate.Prize {
		s.Prize = h.Prize
	}
	return s
}

// certificatePage fills a certificate's texts, in Vietnamese whatever the reader's
// language: it is an official paper of a Vietnamese contest.
func (a *App) certificatePage(base string, round *contestv1alpha1.ContestRound, h store.CertificateHolder, kind certificate.Kind) certificate.Certificate {
	tr := translator{lang: langVI, loc: a.loc}
	code := a.certs.codes.Code(certificateSubject(h, kind))
	achievement := tr.T("certificate.participated")
	if kind == certificate.Prize {
		achievement = tr.T("certificate.prize", h.Prize)
	}
	place := h.LocalityName
	if h.DistrictName != "" {
		place += ", " + h.DistrictName
	}
	issued := h.PublishedAt.In(a.loc)
	return certificate.Certificate{
		Kind: kind, Issuer: tr.T("certificate.issuer"), Contest: round.Spec.Contest.Title, Title: tr.T("certificate.title"),
		Lead: tr.T("certificate.lead"), Name: h.FullName, Details: []string{h.Organization, place},
		Achievement: achievement,
		Round:       tr.T("certificate.round", round.Spec.Title, tr.Days(round.Spec.OpensAt.Time, round.Spec.ClosesAt.Time)),
		Date:        tr.T("certificate.date", issued.Day(), int(issued.Month()), issued.Year()),
		CodeLabel:   tr.T("certificate.code"), Code: code,
		VerifyLabel: tr.T("certificate.verify"), VerifyURL: base + "/verify/" + code,
		Issued: h.PublishedAt,
	}
}

// myCertificate sends the signed-in person's certificate of a published round.
func (a *App) myCertificate(c *gin.Context) {
	ctx := c.Request.Context()
	kind, err := certificate.ParseKind(c.Param("kind"))
	if err != nil {
		a.fail(c, http.StatusNotFound, "error.notFound")
		return
	}
	round, err := a.findRound(ctx, c.Param("round"))
	if errors.Is(err, errRoundNotFound) {
		a.fail(c, http.StatusNotFound, "error.roundNotFound")
		return
	}
	if err != nil {
		a.internal(c, err)
		return
	}
	me, _ := contestantID(c)
	h, err := store.CertificateHolderOf(ctx, a.cfg.Pool, round.RoundKey(), me)
	switch {
	case errors.Is(err, store.ErrNotFound) || err == nil && !h.Published:
		a.fail(c, http.StatusNotFound, "error.certificate.none")
		return
	case err != nil:
		a.internal(c, err)
		return
	case kind == certificate.Prize && h.TieAtBoundary:
		a.fail(c, http.StatusNotFound, "error.certificate.pending")
		return
	case kind == certificate.Prize && h.Prize == "":
		a.fail(c, http.StatusNotFound, "error.certificate.noPrize")
		return
	}
	base := a.publicBase(c)
	key := certKey{round: h.Round, contestant: me, kind: kind, prize: certificateSubject(h, kind).Prize,
		ranked: h.RankedAt.UnixNano(), published: h.PublishedAt.UnixNano(), base: base}
	pdf, ok := a.certs.cache.Get(key)
	if !ok {
		if pdf, err = a.certs.draw(ctx, a.certificateColors(), []certificate.Certificate{a.certificatePage(base, round, h, kind)}); err != nil {
			a.internal(c, err)
			return
		}
		a.certs.cache.Add(key, pdf)
	}
	sendPDF(c, fmt.Sprintf("chung-nhan-%s-%s.pdf", certificateFileKind(kind), round.Name), pdf)
}

func certificateFileKind(k certificate.Kind) string {
	if k == certificate.Prize {
		return "dat-giai"
	}
	return "tham-gia"
}

func sendPDF(c *gin.Context, name string, pdf []byte) {
	// Personal: never kept by a shared cache.
	c.Header("Cache-Control", "private, no-store")
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, strings.ReplaceAll(name, `"`, "")))
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// consoleCertificates sends every prize certificate of a published round as one PDF, a
// page per winner in prize order; who took it is recorded, as for the report.
func (a *App) consoleCertificates(c *gin.Context) {
	round, ok := a.roundFromPath(c)
	if !ok {
		return
	}
	ctx := c.Request.Context()
	key := round.RoundKey()
	switch _, err := store.PublicationOf(ctx, a.cfg.Pool, key); {
	case errors.Is(err, store.ErrNotFound):
		a.consoleFail(c, http.StatusNotFound, "console.certificates.notPublished")
		return
	case err != nil:
		a.consoleInternal(c, err)
		return
	}
	holders, err := store.PrizeHolders(ctx, a.cfg.Pool, key)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	if len(holders) == 0 {
		a.consoleFail(c, http.StatusNotFound, "console.certificates.none")
		return
	}
	if len(holders) > certBulkMax {
		holders = holders[:certBulkMax]
	}
	base := a.publicBase(c)
	pages := make([]certificate.Certificate, len(holders))
	for i, h := range holders {
		pages[i] = a.certificatePage(base, round, h, certificate.Prize)
	}
	pdf, err := a.certs.draw(ctx, a.certificateColors(), pages)
	if err != nil {
		a.consoleInternal(c, err)
		return
	}
	// The file names the winners: who took it is recorded.
	if err := a.audit(c, a.cfg.Pool, auditEntry{Action: organizer.ActionCertificatesDownload, Target: key,
		After: map[string]string{"certificates": fmt.Sprint(len(pages))}}); err != nil {
		a.consoleInternal(c, err)
		return
	}
	a.log(c).Info("certificates downloaded", "round", key, "certificates", len(pages), "by", c.GetString("organizer"))
	sendPDF(c, "chung-nhan-dat-giai-"+round.Name+".pdf", pdf)
}

// myCertificateLinks lists, for "my attempts", the person's certificates of published
// rounds.
type certificateLink struct {
	Round      string // the round's name, for the address
	RoundTitle string
	Prize      string // "" without a prize certificate
	Pending    bool   // a place held for a boundary tie: not decided yet
}

func (a *App) myCertificateLinks(ctx context.Context, me int64, rounds []contestv1alpha1.ContestRound) ([]certificateLink, error) {
	hs, err := store.PublishedRankingsOf(ctx, a.cfg.Pool, me)
	if err != nil {
		return nil, err
	}
	byKey := map[string]*contestv1alpha1.ContestRound{}
	for i := range rounds {
		byKey[rounds[i].RoundKey()] = &rounds[i]
	}
	var out []certificateLink
	for _, h := range hs {
		r, ok := byKey[h.Round]
		if !ok {
			continue // a round this app no longer serves
		}
		out = append(out, certificateLink{Round: r.Name, RoundTitle: r.Spec.Title, Prize: h.Prize, Pending: h.TieAtBoundary})
	}
	return out, nil
}
