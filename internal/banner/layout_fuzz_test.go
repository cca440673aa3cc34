package banner

import (
	"strings"
	"testing"
)

// The contest's title and the rounds' names are typed by organizers (up to 300 and 200
// characters, any Unicode): whatever they are, every size lays out without error (but for
// a blank title) and every text stays inside the margins without overlapping another.
func FuzzLayout(f *testing.F) {
	c := sample()
	f.Add(c.Title, c.Schedule[0].Name, c.Site, uint8(0))
	f.Add(strings.Repeat("Quá dài ", 40), "Đợt thi có tên rất là dài dài dài", "", uint8(3))
	f.Add("Tiếng Việt tổ hợp: Tiếng Việt", "Đợt 1", "a.b", uint8(5))
	f.Add("x", "", strings.Repeat("w", 90), uint8(2))
	f.Add("漢字 🎉 \u200b\t\n", "😀", "例え.jp", uint8(4))
	f.Fuzz(func(t *testing.T, title, round, site string, which uint8) {
		sizes := Sizes()
		s := sizes[int(which)%len(sizes)]
		c := sample()
		c.Title, c.Site = title, site
		c.Schedule[0].Name = round
		b, err := Layout(c, s)
		if strings.TrimSpace(clean(c).Title) == "" {
			if err == nil {
				t.Fatal("a blank title laid out")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		checkInside(t, b)
	})
}
