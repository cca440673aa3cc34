package attempt

import (
	"sync"

	"github.com/dxcontest/contest-platform/internal/exam"
)

// shapeCache keeps the shape of the papers of attempts under way (a byte an item), so an
// autosave is checked by the answer rule without reading the paper again: one statement
// to the database. Papers never change, so an entry is never stale. The cache is bounded:
// when full, a quarter of it (chosen by map order, at random) makes room.
type shapeCache struct {
	mu     sync.Mutex
	max    int
	shapes map[int64]exam.Shape
}

const maxShapes = 100_000

func newShapeCache(max int) *shapeCache {
	return &shapeCache{max: max, shapes: make(map[int64]exam.Shape)}
}

func (sc *shapeCache) get(id int64) (exam.Shape, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	s, ok := sc.shapes[id]
	return s, ok
}

func (sc *shapeCache) put(id int64, s exam.Shape) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if len(sc.shapes) >= sc.max {
		drop := sc.max / 4
		for k := range sc.shapes {
			if drop == 0 {
				break
			}
			delete(sc.shapes, k)
			drop--
		}
	}
	sc.shapes[id] = s
}

func (sc *shapeCache) forget(id int64) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	delete(sc.shapes, id)
}
