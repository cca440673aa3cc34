package unit

import "testing"

func TestSample(t *testing.T) {
	us, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(us); err != nil {
		t.Fatal(err)
	}
	byType := map[Type]int{}
	for _, u := range us {
		byType[u.Type]++
	}
	if byType[TypeCommune] != 124 || byType[TypeSchool] == 0 || byType[TypeArmedForces] == 0 {
		t.Errorf("sample has %v", byType)
	}
	ix := NewIndex(us)
	if m := ix.Match("Sở TTTT"); len(m) != 1 || m[0].Unit.Code != "STTTT" {
		t.Errorf("Sở TTTT matches %+v", m)
	}
	if got := ix.Ancestors("STTTT-VP"); len(got) != 1 || got[0] != "STTTT" {
		t.Errorf("STTTT-VP's ancestors: %v", got)
	}
	if got := ix.Ancestors("X22915"); len(got) != 1 || got[0] != "H593" {
		t.Errorf("X22915's ancestors: %v", got)
	}
	again, _ := Sample()
	again[0].Name = "changed"
	if us[0].Name == "changed" {
		t.Error("Sample shares state between calls")
	}
}
