package password

import "testing"

// What one sign-in's password check costs a replica's CPU (and, through the gate, its memory):
// the figure that sets how many sign-ins per second a core absorbs during a storm.
func BenchmarkCheck(b *testing.B) {
	h := Hash("mật khẩu đúng 2024")
	b.ReportAllocs()
	for range b.N {
		if ok, err := Check(h, "mật khẩu sai"); ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
