package attempt

import (
	"testing"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// The shape cache never holds more than its bound, however many attempts pass through.
func TestShapeCacheIsBounded(t *testing.T) {
	sc := newShapeCache(100)
	for id := range int64(1000) {
		sc.put(id, exam.Shape{4, 4, 4})
		if n := len(sc.shapes); n > 100 {
			t.Fatalf("%d shapes held, bound 100", n)
		}
	}
	if _, ok := sc.get(999); !ok {
		t.Fatal("the latest shape is not held")
	}
	sc.forget(999)
	if _, ok := sc.get(999); ok {
		t.Fatal("a forgotten shape is still held")
	}
}
