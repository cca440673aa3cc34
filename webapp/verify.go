package webapp

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/certificate"
	"github.com/dxcontest/contest-platform/internal/store"
)

// The verification page of certificates: public, no session needed. A code is checked
// against each round of the contest and each kind of certificate in memory (HMACs under the
// app's key); only a genuine code reads the database, once. The page shows what the
// certificate prints — the full name (a verifier compares it with the paper; a masked name
// would let a near namesake's forgery pass), the unit, the contest, the round, the kind and
// the date — and nothing else of the person (docs/decisions.md, "Certificates").

type verifyData struct {
	Code string
	// Valid: the code is genuine and the certificate stands; then the fields below are set.
	Valid bool
	// Problem is the catalog key of why a code does not verify; Message says it.
	Problem      string
	Message      string
	Name         string
	Organization string
	Contest      string
	Round        string
	Kind         string
	Date         string
}

// verifyForm is the page to type a code from a paper certificate; ?code= goes to its page.
func (a *App) verifyForm(c *gin.Context) {
	if code := strings.TrimSpace(c.Query("code")); code != "" {
		if cl, err := certificate.ParseCode(code); err == nil && cl.Contestant > 0 {
			c.Redirect(http.StatusSeeOther, "/verify/"+url.PathEscape(canonicalCode(code)))
			return
		}
		a.renderVerify(c, http.StatusNotFound, verifyData{Code: truncate(code, 64), Problem: "verify.invalid"})
		return
	}
	a.renderVerify(c, http.StatusOK, verifyData{})
}

// canonicalCode writes a parsed code as printed (upper case, groups of four).
func canonicalCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// verifyCertificate answers whether the code in the path is a certificate's, and what it
// certifies.
func (a *App) verifyCertificate(c *gin.Context) {
	ctx := c.Request.Context()
	raw := c.Param("code")
	d := verifyData{Code: truncate(raw, 64), Problem: "verify.invalid"}
	cl, err := certificate.ParseCode(raw)
	if err != nil {
		a.renderVerify(c, http.StatusNotFound, d)
		return
	}
	rounds, err := a.contestRounds(ctx)
	if err != nil {
		a.internal(c, err)
		return
	}
	round, subject, ok := a.matchCode(cl, rounds)
	if !ok {
		a.renderVerify(c, http.StatusNotFound, d)
		return
	}
	h, err := store.CertificateHolderOf(ctx, a.cfg.Pool, round.RoundKey(), cl.Contestant)
	switch {
	case errors.Is(err, store.ErrNotFound):
		d.Problem = "verify.revoked"
		a.renderVerify(c, http.StatusNotFound, d)
		return
	case err != nil:
		a.internal(c, err)
		return
	case !h.Published:
		d.Problem = "verify.unpublished"
		a.renderVerify(c, http.StatusNotFound, d)
		return
	case subject.Kind == certificate.Prize && (h.Prize != subject.Prize || h.TieAtBoundary):
		// A re-rank gave the person another prize, or none.
		d.Problem = "verify.revoked"
		a.renderVerify(c, http.StatusNotFound, d)
		return
	}
	tr := a.translatorFor(c)
	d = verifyData{Code: canonicalCode(raw), Valid: true, Name: h.FullName, Organization: h.Organization,
		Contest: round.Spec.Contest.Title, Round: round.Spec.Title, Kind: tr.T("verify.kind.participation"),
		Date: h.PublishedAt.In(a.loc).Format("02/01/2006")}
	if subject.Kind == certificate.Prize {
		d.Kind = tr.T("verify.kind.prize", subject.Prize)
	}
	a.renderVerify(c, http.StatusOK, d)
}

// matchCode finds the round and the certificate a code was made for, among the contest's
// rounds: its participation certificate and one for each declared prize.
func (a *App) matchCode(cl certificate.Claim, rounds []contestv1alpha1.ContestRound) (*contestv1alpha1.ContestRound, certificate.Subject, bool) {
	for i := range rounds {
		r := &rounds[i]
		s := certificate.Subject{Round: r.RoundKey(), Contestant: cl.Contestant, Kind: certificate.Participation}
		if a.certs.codes.Match(cl, s) {
			return r, s, true
		}
		s.Kind = certificate.Prize
		for _, p := range r.Spec.PrizeList() {
			if s.Prize = p.Name; a.certs.codes.Match(cl, s) {
				return r, s, true
			}
		}
	}
	return nil, certificate.Subject{}, false
}

func (a *App) renderVerify(c *gin.Context, status int, d verifyData) {
	// Names are shown: not for search engines, and not for the next site's logs.
	c.Header("X-Robots-Tag", "noindex")
	c.Header("Referrer-Policy", "no-referrer")
	tr := a.translatorFor(c)
	if d.Problem != "" {
		d.Message = tr.T(d.Problem)
	}
	a.render(c, status, "verify", a.newView(c, tr.T("verify.title"), d))
}

// limitVerify bounds the verifications an address asks for (per replica), on top of the
// code's own cost bound (no database read for a code that is not genuine).
func (a *App) limitVerify(c *gin.Context) {
	a.limited(c, a.certs.perAddress, clientNet(c), "verify_rate")
}
