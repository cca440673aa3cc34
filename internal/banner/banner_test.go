package banner

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// sample is the plan's contest: its title, two rounds, the site's address.
func sample() Content {
	return Content{
		Title:    "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024",
		Schedule: []Round{{"Đợt 1", "17/8 – 31/8/2024"}, {"Đợt 2", "9/9 – 23/9/2024"}},
		Span:     "17/8 – 23/9/2024",
		Action:   "Tham gia ngay",
		Site:     "timhieuchuyendoiso.binhthuan.gov.vn",
		Alt:      "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024, 17/8 – 23/9/2024",
		Colors:   Palette{Primary: color.RGBA{0x0b, 0x5c, 0xab, 0xff}, Dark: color.RGBA{0x08, 0x4a, 0x8a, 0xff}},
	}
}

// vietnamese is every letter of the Vietnamese alphabet with every tone mark, both cases.
const vietnamese = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"

func TestFontsHaveEveryVietnameseLetter(t *testing.T) {
	bold, semi, err := typefaces()
	if err != nil {
		t.Fatal(err)
	}
	all := vietnamese + strings.ToUpper(vietnamese) + "0123456789 .,:;–-/“”\"'()…!?"
	if n := len([]rune(vietnamese)); n != 89 {
		t.Fatalf("the alphabet above has %d letters, want 89", n)
	}
	var buf sfnt.Buffer
	for _, tf := range []*typeface{bold, semi} {
		for _, r := range all {
			if x, err := tf.font.GlyphIndex(&buf, r); err != nil || x == 0 {
				t.Errorf("%s has no glyph for %q (U+%04X)", tf.name, r, r)
			}
		}
	}
}

// Every size: the text fits (nothing cut, every line inside the banner's margins, no two
// texts overlapping), the PNG is an opaque image of the size with the title drawn in
// white, and the SVG is well-formed XML of the same size.
func TestEverySizeFits(t *testing.T) {
	dir := t.ArtifactDir()
	for _, s := range Sizes() {
		t.Run(s.Name, func(t *testing.T) {
			b, err := Layout(sample(), s)
			if err != nil {
				t.Fatal(err)
			}
			if b.Cut {
				t.Error("the sample's text was cut short")
			}
			checkInside(t, b)
			roles := map[string]bool{}
			for _, l := range b.layers {
				roles[l.role] = true
			}
			for _, want := range []string{"title", "dates"} {
				if !roles[want] {
					t.Errorf("no %s on the banner", want)
				}
			}
			if s.Name == "1200x628" && !(roles["site"] && roles["action"]) {
				t.Error("the social preview lacks the address or the button")
			}
			img := decodePNG(t, b)
			if whiteIn(img, bounds(layerOf(b, "title"))) < 50 {
				t.Error("the title's area has almost no white pixels: the text is not drawn")
			}
			checkSVG(t, b)
			p, _ := b.PNG()
			_ = os.WriteFile(filepath.Join(dir, s.Name+".png"), p, 0o644)
			_ = os.WriteFile(filepath.Join(dir, s.Name+".svg"), b.SVG(), 0o644)
		})
	}
}

// The longest title the CRD allows, a round list too long to list, no address: still
// inside the margins, the title shortened with an ellipsis where it must be.
func TestLongTextsStayInside(t *testing.T) {
	c := sample()
	c.Title = string([]rune(strings.Repeat("Cuộc thi “Tìm hiểu về chuyển đổi số” ", 9))[:300])
	c.Schedule = append(c.Schedule, Round{"Đợt 3", "1/10 – 15/10/2024"}, Round{"Đợt 4", "16/10 – 31/10/2024"})
	c.Span = "17/8 – 31/10/2024"
	c.Site = strings.Repeat("rat-dai.", 20) + "gov.vn"
	for _, s := range Sizes() {
		b, err := Layout(c, s)
		if err != nil {
			t.Fatal(err)
		}
		if !b.Cut {
			t.Errorf("%s: a 300-character title fits whole?", s.Name)
		}
		checkInside(t, b)
		if got := layerOf(b, "dates"); got == nil {
			t.Errorf("%s: no dates: four rounds should give the span", s.Name)
		}
	}
}

// A title typed with combining marks (NFD, as some Vietnamese keyboards send) is drawn
// exactly as the precomposed one: the font's glyphs are the precomposed letters.
func TestDecomposedTitleIsDrawnAsComposed(t *testing.T) {
	c, d := sample(), sample()
	d.Title = norm.NFD.String(c.Title)
	if d.Title == c.Title {
		t.Fatal("the NFD title is the same string")
	}
	s, _ := SizeNamed("300x250")
	bc, err := Layout(c, s)
	if err != nil {
		t.Fatal(err)
	}
	bd, err := Layout(d, s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bc.SVG(), bd.SVG()) {
		t.Error("the decomposed title is drawn differently")
	}
}

func TestOnlyTheListedSizes(t *testing.T) {
	if _, ok := SizeNamed("1201x628"); ok {
		t.Error("a size not in the list is found")
	}
	if _, err := Layout(sample(), Size{"1201x628", 1201, 628}); err == nil {
		t.Error("a size not in the list is laid out")
	}
	c := sample()
	c.Title = "  "
	if _, err := Layout(c, Sizes()[0]); err == nil || !strings.Contains(err.Error(), "no title") {
		t.Errorf("a blank title: %v, want an error saying there is no title", err)
	}
}

func layerOf(b *Banner, role string) *layer {
	for i := range b.layers {
		if b.layers[i].role == role {
			return &b.layers[i]
		}
	}
	return nil
}

func bounds(l *layer) image.Rectangle {
	if l == nil {
		return image.Rectangle{}
	}
	return image.Rect(int(l.path.min.x), int(l.path.min.y), int(l.path.max.x+1), int(l.path.max.y+1))
}

// checkInside: every text inside the margins (a glyph may reach a little past its pen
// position, so a quarter of the margin is allowed), and no two texts overlapping.
func checkInside(t *testing.T, b *Banner) {
	t.Helper()
	sp, _ := specOf(b.Size)
	slack := sp.pad / 4
	inner := image.Rect(int(sp.pad-slack), int(sp.pad-slack), b.Size.Width-int(sp.pad-slack), b.Size.Height-int(sp.pad-slack))
	var texts []*layer
	for i := range b.layers {
		l := &b.layers[i]
		if l.path.empty() {
			continue // letters the font lacks (an emoji, Chinese) draw nothing
		}
		switch l.role {
		case "title", "dates", "site", "action", "button":
			if !bounds(l).In(inner) {
				t.Errorf("%s: the %s (%v) leaves the margins %v", b.Size.Name, l.role, bounds(l), inner)
			}
			if l.role != "action" { // the button's text is on the button
				texts = append(texts, l)
			}
		}
	}
	for i := range texts {
		for j := i + 1; j < len(texts); j++ {
			if bounds(texts[i]).Overlaps(bounds(texts[j])) {
				t.Errorf("%s: the %s %v overlaps the %s %v", b.Size.Name, texts[i].role, bounds(texts[i]), texts[j].role, bounds(texts[j]))
			}
		}
	}
}

func decodePNG(t *testing.T, b *Banner) image.Image {
	t.Helper()
	p, err := b.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(p))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(b.Size.Width, b.Size.Height) {
		t.Fatalf("PNG of %v, want %dx%d", got, b.Size.Width, b.Size.Height)
	}
	// IHDR's colour type (the 26th byte): 2 is truecolour without alpha.
	if p[25] != 2 {
		t.Errorf("PNG colour type %d, want 2 (RGB): an opaque banner needs no alpha channel", p[25])
	}
	return img
}

func whiteIn(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); c.R > 0xf0 && c.G > 0xf0 && c.B > 0xf0 {
				n++
			}
		}
	}
	return n
}

func checkSVG(t *testing.T, b *Banner) {
	t.Helper()
	var doc struct {
		XMLName xml.Name `xml:"svg"`
		Width   int      `xml:"width,attr"`
		Height  int      `xml:"height,attr"`
		Title   string   `xml:"title"`
		Paths   []struct {
			Fill string `xml:"fill,attr"`
			D    string `xml:"d,attr"`
		} `xml:"path"`
	}
	if err := xml.Unmarshal(b.SVG(), &doc); err != nil {
		t.Fatalf("the SVG is not XML: %v", err)
	}
	if doc.Width != b.Size.Width || doc.Height != b.Size.Height || doc.Title != b.Alt || len(doc.Paths) < 5 {
		t.Errorf("SVG %dx%d titled %q with %d paths", doc.Width, doc.Height, doc.Title, len(doc.Paths))
	}
}
