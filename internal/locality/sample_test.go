package locality

import "testing"

// The shipped list is Bình Thuận in 2024: 10 district-level and 124 commune-level units.
func TestSample(t *testing.T) {
	ls, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	districts, communes := 0, map[string]int{}
	for _, l := range ls {
		if l.ParentCode == "" {
			districts++
		} else {
			communes[l.ParentCode]++
		}
	}
	total := 0
	for _, n := range communes {
		total += n
	}
	if districts != 10 || total != 124 {
		t.Fatalf("%d districts and %d communes, want 10 and 124", districts, total)
	}
	if ls[0] != (Locality{Code: "593", Name: "Thành phố Phan Thiết"}) || communes["602"] != 3 {
		t.Errorf("first unit %+v, Phú Quí has %d communes", ls[0], communes["602"])
	}
	if err := Validate(ls); err != nil {
		t.Fatal(err)
	}
	again, _ := Sample()
	again[0].Name = "changed"
	if ls[0].Name == "changed" {
		t.Error("Sample shares state between calls")
	}
}
