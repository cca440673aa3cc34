package banner

import "testing"

// The cost of one banner, as the web app pays it once per size after the contest or its
// rounds change: go test -run '^$' -bench . -benchmem ./internal/banner
func BenchmarkRender(b *testing.B) {
	for _, s := range Sizes() {
		b.Run(s.Name+"/png", func(b *testing.B) {
			for b.Loop() {
				bn, err := Layout(sample(), s)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := bn.PNG(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	s, _ := SizeNamed("1200x628")
	b.Run("1200x628/layout", func(b *testing.B) {
		for b.Loop() {
			if _, err := Layout(sample(), s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("1200x628/svg", func(b *testing.B) {
		for b.Loop() {
			bn, err := Layout(sample(), s)
			if err != nil {
				b.Fatal(err)
			}
			_ = bn.SVG()
		}
	})
}
