package ranking

import (
	"cmp"
	"slices"
)

// distance is |prediction − actual|. Both are >= 0 (Add refuses negative predictions),
// so the difference cannot overflow.
func distance(prediction, actual int64) int64 {
	if prediction >= actual {
		return prediction - actual
	}
	return actual - prediction
}

// compareKeys orders two people by the tie-break keys only: negative when a ranks before
// b, zero when they share a rank.
func compareKeys(keys []keyID, actual int64, a, b *record) int {
	for _, k := range keys {
		var c int
		switch k {
		case keyCorrect:
			c = cmp.Compare(b.correct, a.correct) // most first
		case keyPredictionDistance:
			c = cmp.Compare(distance(a.prediction, actual), distance(b.prediction, actual))
		case keyTimeUsed:
			c = cmp.Compare(a.timeUsed, b.timeUsed)
		case keySubmittedAt:
			c = cmp.Compare(a.submitted, b.submitted)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// order returns the positions of records in listing order: by the tie-break keys, then by
// person id. The person id only fixes the listing order of people who share a rank.
func order(keys []keyID, actual int64, records []record) []int32 {
	perm := make([]int32, len(records))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(i, j int32) int {
		a, b := &records[i], &records[j]
		if c := compareKeys(keys, actual, a, b); c != 0 {
			return c
		}
		return cmp.Compare(a.person, b.person)
	})
	return perm
}
