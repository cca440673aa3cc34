package bank

import (
	"bytes"
	"strings"
	"testing"
)

func TestSample(t *testing.T) {
	b, err := Sample()
	if err != nil {
		t.Fatalf("Sample: %v", err)
	}
	if b.Name != "mau" || b.Version != 1 {
		t.Errorf("name/version = %q/%d, want mau/1", b.Name, b.Version)
	}
	if err := b.Validate(); err != nil {
		t.Errorf("sample bank does not validate:\n%v", err)
	}
	if len(b.Questions) < 80 {
		t.Errorf("sample has %d questions, want at least 80", len(b.Questions))
	}
	counts := b.CountByTopic()
	for _, tp := range PlanTopics() {
		if counts[tp.Code] < 16 {
			t.Errorf("topic %s has %d questions, want at least 16", tp.Code, counts[tp.Code])
		}
		if got := len(b.QuestionsByTopic(tp.Code)); got != counts[tp.Code] {
			t.Errorf("QuestionsByTopic(%s) = %d, CountByTopic = %d", tp.Code, got, counts[tp.Code])
		}
	}
	if len(counts) != len(PlanTopics()) {
		t.Errorf("sample uses topics outside the plan: %v", counts)
	}

	letters := map[int]int{}
	for _, q := range b.Questions {
		if !strings.HasPrefix(q.ID, "mau-") {
			t.Errorf("%s: sample IDs must start with mau-", q.ID)
		}
		if len(q.Options) != 4 {
			t.Errorf("%s: %d options, want 4", q.ID, len(q.Options))
		}
		correct := 0
		for _, o := range q.Options {
			if o.Correct {
				correct++
			}
		}
		if correct != 1 || q.CorrectIndex() < 0 {
			t.Errorf("%s: %d correct options, want exactly 1", q.ID, correct)
		}
		if q.Explanation == "" {
			t.Errorf("%s: sample questions carry an explanation", q.ID)
		}
		letters[q.CorrectIndex()]++
	}
	// Contestants must not be able to guess by always picking one letter.
	for i := range 4 {
		if share := float64(letters[i]) / float64(len(b.Questions)); share < 0.2 || share > 0.3 {
			t.Errorf("answer %s is correct in %.0f%% of questions, want 20–30%%", OptionLetter(i), share*100)
		}
	}
}

// Each call returns an independent bank: changing one cannot leak into the
// next caller.
func TestSampleIsFresh(t *testing.T) {
	a, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	a.Questions[0].Options[0].Text = "đã sửa"
	a.Topics[0].Title = "đã sửa"
	b, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	if b.Questions[0].Options[0].Text == "đã sửa" || b.Topics[0].Title == "đã sửa" {
		t.Error("Sample shares state between calls")
	}
	if PlanTopics()[0].Title == "đã sửa" {
		t.Error("PlanTopics shares state with a bank")
	}
}

// The sample file is exactly what WriteCSV produces, so it doubles as the
// reference of the canonical layout, and export → import is lossless.
func TestWriteCSVRoundTrip(t *testing.T) {
	b, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), SampleCSV()) {
		t.Error("WriteCSV(Sample()) differs from the embedded sample file")
	}
	again, err := ParseCSV(&buf, ParseOptions{Name: b.Name, Version: b.Version, Topics: b.Topics})
	if err != nil {
		t.Fatal(err)
	}
	if again.Checksum() != b.Checksum() {
		t.Error("export → import changed the bank")
	}
}

func BenchmarkParseSample(b *testing.B) {
	b.SetBytes(int64(len(SampleCSV())))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sample(); err != nil {
			b.Fatal(err)
		}
	}
}
