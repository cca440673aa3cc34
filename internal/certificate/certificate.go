// Package certificate draws the contest's certificates as PDF — of participation in a
// round, and of a prize — with Vietnamese text in the embedded Be Vietnam Pro, and makes
// and checks their verification codes (code.go). It is plain Go: the web app decides who
// gets which certificate and fills in every text from its catalogs.
package certificate

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"

	"github.com/dxcontest/contest-platform/internal/fonts"
)

// Kind is what a certificate certifies.
type Kind string

const (
	// Participation: the person finished an attempt in the round.
	Participation Kind = "participation"
	// Prize: the ranking gave the person a prize in the round.
	Prize Kind = "prize"
)

// ParseKind reads a kind by its name.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case Participation, Prize:
		return k, nil
	}
	return "", fmt.Errorf("unknown certificate kind %q: use %s or %s", s, Participation, Prize)
}

// Certificate is one page, every text in its final words (the caller's catalog).
type Certificate struct {
	Kind    Kind
	Issuer  string // who issues it, e.g. "BAN TỔ CHỨC"
	Contest string // the contest's title
	Title   string // e.g. "GIẤY CHỨNG NHẬN"
	Lead    string // e.g. "Chứng nhận Ông/Bà"
	Name    string // the person's full name
	// Details are shown under the name (unit, locality); empty ones are left out.
	Details []string
	// Achievement is the big line: the prize, or that the person took part.
	Achievement string
	Round       string // the round and its dates
	Date        string // the issue date, in words
	// CodeLabel and Code, VerifyLabel and VerifyURL: how anyone checks the certificate.
	CodeLabel   string
	Code        string
	VerifyLabel string
	VerifyURL   string
	// Issued is written in the PDF's metadata, so the same certificate is the same bytes.
	Issued time.Time
}

// Colors are the site's: Primary for borders and headings, Accent for a prize.
type Colors struct {
	Primary, Accent color.RGBA
}

// The page: A4 landscape, in millimetres.
const (
	pageW, pageH = 297.0, 210.0
	textW        = 235.0 // the width text is wrapped and shrunk to
	family       = "BeVietnamPro"
	ptToMM       = 25.4 / 72
)

// Write draws the certificates, one page each, as one PDF.
func Write(w io.Writer, colors Colors, pages ...Certificate) error {
	if len(pages) == 0 {
		return errors.New("certificate: nothing to write")
	}
	pdf := fpdf.New("L", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetCellMargin(0)
	pdf.AddUTF8FontFromBytes(family, "", fonts.SemiBold())
	pdf.AddUTF8FontFromBytes(family, "B", fonts.Bold())
	first := pages[0]
	pdf.SetTitle(clean(first.Title+" — "+first.Name), true)
	if len(pages) > 1 {
		pdf.SetTitle(clean(first.Title+" — "+first.Contest), true)
	}
	pdf.SetAuthor(clean(first.Issuer+" "+first.Contest), true)
	pdf.SetCreator("contest-platform", false)
	pdf.SetProducer("contest-platform", false)
	pdf.SetLang("vi")
	pdf.SetCreationDate(first.Issued)
	pdf.SetModificationDate(first.Issued)
	pdf.SetCatalogSort(true)
	for i := range pages {
		draw(pdf, colors, &pages[i])
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("certificate: draw: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("certificate: write: %w", err)
	}
	return nil
}

// clean puts text in NFC (every Vietnamese letter with its marks is then one glyph of the
// font; decomposed marks would be drawn beside their letter) on one line, without control
// characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

func draw(pdf *fpdf.Fpdf, colors Colors, c *Certificate) {
	pdf.AddPage()
	accent := colors.Primary
	if c.Kind == Prize {
		accent = colors.Accent
	}
	// Two frames: a heavy outer one in the site's colour, a thin inner one (gold for a prize).
	setDraw(pdf, colors.Primary)
	pdf.SetLineWidth(1.6)
	pdf.Rect(8, 8, pageW-16, pageH-16, "D")
	setDraw(pdf, accent)
	pdf.SetLineWidth(0.5)
	pdf.Rect(12, 12, pageW-24, pageH-24, "D")

	dark, grey := color.RGBA{0x22, 0x22, 0x22, 0xff}, color.RGBA{0x33, 0x33, 0x33, 0xff}
	items := []item{
		{text: c.Issuer, size: 13, min: 13, lines: 1, color: colors.Primary},
		{text: c.Contest, style: "B", size: 15, min: 10, lines: 3, color: colors.Primary, gap: 1},
		{text: c.Title, style: "B", size: 36, min: 20, lines: 1, color: accent, gap: 9},
		{text: c.Lead, size: 14, min: 11, lines: 1, color: dark, gap: 6},
		{text: c.Name, style: "B", size: 30, min: 16, lines: 2, color: colors.Primary, gap: 2},
	}
	for _, d := range c.Details {
		items = append(items, item{text: d, size: 13, min: 10, lines: 2, color: grey})
	}
	items = append(items,
		item{text: c.Achievement, style: "B", size: 22, min: 14, lines: 2, color: accent, gap: 7},
		item{text: c.Round, size: 13, min: 10, lines: 2, color: dark, gap: 1})
	// The block is centred between the top frame and the date.
	total := 0.0
	for i := range items {
		total += items[i].measure(pdf)
	}
	y := 18 + max(0, (pageH-18-40-total)/2)
	for i := range items {
		y = items[i].draw(pdf, y)
	}

	// The date at the bottom right, the code and the address to check it at the bottom left.
	setText(pdf, color.RGBA{0x22, 0x22, 0x22, 0xff})
	pdf.SetFont(family, "", 12)
	date := clean(c.Date)
	pdf.Text(pageW-22-pdf.GetStringWidth(date), pageH-36, date)
	pdf.SetFont(family, "", 9)
	setText(pdf, color.RGBA{0x44, 0x44, 0x44, 0xff})
	code := clean(c.CodeLabel) + " "
	pdf.Text(22, pageH-26, code)
	pdf.SetFont(family, "B", 11)
	pdf.Text(22+widthAt(pdf, "", 9, code), pageH-26, clean(c.Code))
	pdf.SetFont(family, "", 9)
	verify := clean(c.VerifyLabel) + " "
	pdf.Text(22, pageH-20, verify)
	url := clean(c.VerifyURL)
	x := 22 + pdf.GetStringWidth(verify)
	setText(pdf, colors.Primary)
	pdf.Text(x, pageH-20, url)
	pdf.LinkString(x, pageH-20-9*ptToMM, pdf.GetStringWidth(url), 9*ptToMM*1.3, url)
}

func widthAt(pdf *fpdf.Fpdf, style string, size float64, s string) float64 {
	pdf.SetFont(family, style, size)
	return pdf.GetStringWidth(s)
}

// item is a centred paragraph: at the largest size from size down to min (whole points) at
// which it takes at most lines lines of textW; at min, what does not fit is cut with an
// ellipsis. gap is the room above it, in millimetres.
type item struct {
	text, style string
	size, min   float64
	lines       int
	color       color.RGBA
	gap         float64
	fitted      []string
}

// measure fits the text and returns the height it takes.
func (it *item) measure(pdf *fpdf.Fpdf) float64 {
	if it.text = clean(it.text); it.text == "" {
		return 0
	}
	for {
		pdf.SetFont(family, it.style, it.size)
		it.fitted = wrap(pdf, it.text, textW)
		if len(it.fitted) <= it.lines || it.size <= it.min {
			break
		}
		it.size--
	}
	if len(it.fitted) > it.lines {
		it.fitted = it.fitted[:it.lines]
		it.fitted[it.lines-1] = ellipsize(pdf, it.fitted[it.lines-1], textW)
	}
	return it.gap + float64(len(it.fitted))*it.lineHeight()
}

func (it *item) lineHeight() float64 { return it.size * ptToMM * 1.3 }

// draw writes the fitted lines from y down and returns the y below them.
func (it *item) draw(pdf *fpdf.Fpdf, y float64) float64 {
	if len(it.fitted) == 0 {
		return y
	}
	pdf.SetFont(family, it.style, it.size)
	setText(pdf, it.color)
	y += it.gap
	lh := it.lineHeight()
	for _, l := range it.fitted {
		y += lh
		pdf.Text((pageW-pdf.GetStringWidth(l))/2, y-lh*0.25, l)
	}
	return y
}

// wrap breaks s into lines of at most width, at spaces; a word longer than a line is
// broken where it must be.
func wrap(pdf *fpdf.Fpdf, s string, width float64) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		next := word
		if line != "" {
			next = line + " " + word
		}
		if pdf.GetStringWidth(next) <= width {
			line = next
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = word
		for pdf.GetStringWidth(line) > width {
			cut := fitRunes(pdf, line, width)
			lines = append(lines, line[:cut])
			line = line[cut:]
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fitRunes is the byte length of the longest prefix of s (at least one rune) within width.
func fitRunes(pdf *fpdf.Fpdf, s string, width float64) int {
	end := 0
	for i, r := range s {
		next := i + len(string(r))
		if end > 0 && pdf.GetStringWidth(s[:next]) > width {
			break
		}
		end = next
	}
	return end
}

func ellipsize(pdf *fpdf.Fpdf, s string, width float64) string {
	for s != "" && pdf.GetStringWidth(s+"…") > width {
		r := []rune(s)
		s = strings.TrimRight(string(r[:len(r)-1]), " ")
	}
	return s + "…"
}

func setDraw(pdf *fpdf.Fpdf, c color.RGBA) { pdf.SetDrawColor(int(c.R), int(c.G), int(c.B)) }
func setText(pdf *fpdf.Fpdf, c color.RGBA) { pdf.SetTextColor(int(c.R), int(c.G), int(c.B)) }
