package certificate

import (
	"bytes"
	"image/color"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/dxcontest/contest-platform/internal/testutil/pdftext"
)

var colors = Colors{Primary: color.RGBA{0x0b, 0x5c, 0xab, 0xff}, Accent: color.RGBA{0xb4, 0x1e, 0x1e, 0xff}}

// sample is a prize certificate of the plan's contest.
func sample() Certificate {
	return Certificate{
		Kind:        Prize,
		Issuer:      "BAN TỔ CHỨC",
		Contest:     "Cuộc thi trực tuyến “Tìm hiểu về chuyển đổi số” tỉnh Bình Thuận năm 2024",
		Title:       "GIẤY CHỨNG NHẬN",
		Lead:        "Chứng nhận Ông/Bà",
		Name:        "Nguyễn Thị Ánh Tuyết",
		Details:     []string{"Sở Thông tin và Truyền thông", "Phường Phú Thủy, Thành phố Phan Thiết"},
		Achievement: "Đã đạt Giải Nhất",
		Round:       "Đợt 1 (17/08/2024 – 31/08/2024)",
		Date:        "Ngày 05 tháng 09 năm 2024",
		CodeLabel:   "Mã xác thực:",
		Code:        "AEBC-DEFG-HIJK-LMNO-PQRS-TUV",
		VerifyLabel: "Kiểm tra tại:",
		VerifyURL:   "https://thi.example.gov.vn/verify/AEBC-DEFG-HIJK-LMNO-PQRS-TUV",
		Issued:      time.Date(2024, 9, 5, 3, 0, 0, 0, time.UTC),
	}
}

func write(t *testing.T, pages ...Certificate) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, colors, pages...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCertificates(t *testing.T) {
	long := strings.Repeat("Cuộc thi tìm hiểu về chuyển đổi số ", 12)
	cases := []struct {
		name string
		edit func(*Certificate)
		// want are lines (or parts of lines) the page must show; absent must not appear.
		want, absent []string
	}{
		{"prize", func(*Certificate) {}, []string{"BAN TỔ CHỨC", "GIẤY CHỨNG NHẬN", "Nguyễn Thị Ánh Tuyết", "Sở Thông tin và Truyền thông",
			"Đã đạt Giải Nhất", "Đợt 1 (17/08/2024 – 31/08/2024)", "Ngày 05 tháng 09 năm 2024", "AEBC-DEFG-HIJK-LMNO-PQRS-TUV",
			"https://thi.example.gov.vn/verify/AEBC-DEFG-HIJK-LMNO-PQRS-TUV"}, nil},
		{"participation", func(c *Certificate) { c.Kind, c.Achievement = Participation, "Đã tham gia cuộc thi" },
			[]string{"Đã tham gia cuộc thi", "Nguyễn Thị Ánh Tuyết"}, []string{"Giải Nhất"}},
		{"decomposed name is written composed", func(c *Certificate) { c.Name = norm.NFD.String("Trần Thị Hồng Nhụy") },
			[]string{"Trần Thị Hồng Nhụy"}, nil},
		{"no details", func(c *Certificate) { c.Details = []string{"", " "} }, []string{"Nguyễn Thị Ánh Tuyết"}, []string{"Sở Thông tin"}},
		{"a control character is a space", func(c *Certificate) { c.Name = "Lê\x00Văn\nAn" }, []string{"Lê Văn An"}, nil},
		{"a long title is wrapped, shrunk, then cut", func(c *Certificate) { c.Contest = long }, []string{"Cuộc thi tìm hiểu", "…"}, nil},
		{"a long name is wrapped", func(c *Certificate) { c.Name = strings.Repeat("Tôn Nữ Thị ", 8) + "Hà" },
			[]string{"Tôn Nữ Thị Tôn"}, nil},
		{"a word longer than the page is broken", func(c *Certificate) { c.Name = strings.Repeat("Ư", 200) }, []string{"ƯƯƯƯ"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := sample()
			tc.edit(&c)
			pages, err := pdftext.Pages(write(t, c))
			if err != nil {
				t.Fatal(err)
			}
			if len(pages) != 1 {
				t.Fatalf("%d pages, want 1", len(pages))
			}
			for _, w := range tc.want {
				if !strings.Contains(pages[0], w) {
					t.Errorf("the page lacks %q; it reads:\n%s", w, pages[0])
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(pages[0], a) {
					t.Errorf("the page shows %q; it reads:\n%s", a, pages[0])
				}
			}
			for _, line := range strings.Split(pages[0], "\n") {
				if n := len([]rune(line)); n > 200 {
					t.Errorf("a line of %d characters cannot fit the page: %.40q…", n, line)
				}
			}
		})
	}
}

// A title that must be cut keeps three lines, the last ending with an ellipsis.
func TestLongTitleIsCutAtThreeLines(t *testing.T) {
	c := sample()
	c.Contest = strings.Repeat("Tìm hiểu chuyển đổi số ", 40)
	text, err := pdftext.Text(write(t, c))
	if err != nil {
		t.Fatal(err)
	}
	lines := 0
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, "Tìm hiểu") {
			lines++
			if lines == 3 && !strings.HasSuffix(l, "…") {
				t.Errorf("third line %q does not end with an ellipsis", l)
			}
		}
	}
	if lines != 3 {
		t.Errorf("the title takes %d lines, want 3:\n%s", lines, text)
	}
}

// Several certificates make one file, a page each, in order.
func TestSeveralPages(t *testing.T) {
	var cs []Certificate
	for _, n := range []string{"Phạm Văn Đồng", "Võ Thị Sáu", "Lý Thường Kiệt"} {
		c := sample()
		c.Name = n
		cs = append(cs, c)
	}
	pages, err := pdftext.Pages(write(t, cs...))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	for i, c := range cs {
		if !strings.Contains(pages[i], c.Name) {
			t.Errorf("page %d lacks %q", i+1, c.Name)
		}
	}
	if err := Write(&bytes.Buffer{}, colors); err == nil {
		t.Error("a file without pages was written")
	}
}

// The same certificate is the same bytes (cached copies and ETags agree across replicas),
// and the file says what it is.
func TestDeterministicAndDescribed(t *testing.T) {
	a, b := write(t, sample()), write(t, sample())
	if !bytes.Equal(a, b) {
		t.Error("two writes of one certificate differ")
	}
	if !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Errorf("not a PDF: %.10q", a)
	}
	for _, want := range []string{"/Lang (vi)", "/CreationDate (D:20240905030000"} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("the file lacks %s", want)
		}
	}
	if !bytes.Contains(a, []byte("/FontFile2")) {
		t.Error("the font is not embedded")
	}
	if len(a) > 120_000 {
		t.Errorf("%d bytes: the fonts should be subset", len(a))
	}
}

func TestParseKind(t *testing.T) {
	for _, s := range []string{"participation", "prize"} {
		if k, err := ParseKind(s); err != nil || string(k) != s {
			t.Errorf("ParseKind(%q) = %q, %v", s, k, err)
		}
	}
	for _, s := range []string{"", "Prize", "winner", "prize.pdf"} {
		if _, err := ParseKind(s); err == nil {
			t.Errorf("ParseKind(%q) accepted", s)
		}
	}
}
