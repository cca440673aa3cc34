package ranking

// awardPrizes fills the prize places, in declared order, with the eligible people of
// entries (already in ranking order). It returns the winners in prize order and the ties
// it could not decide.
//
// Policy for a tie at a prize boundary. The plan fixes how many of each prize there are,
// and the money follows, so a place is never added; and nothing the rules rank by can
// separate people who share a rank, so neither the person id nor anything else in the
// data picks among them. The eligible people of one rank take the next len(group) places
// together: if those places all exist and are of one prize, every one of them gets it;
// otherwise (two prize levels, or past the last place) none of them is given a prize, the
// places they reach are held for them (later people go on from after those places, as if
// the group had taken them, so nobody below the tie gains from it), and a BoundaryTie
// reports the group and the places for the organizers to decide, e.g. by the lot or extra
// criterion their contest rules provide.
func awardPrizes(entries []Entry, prizes []Prize) (winners []Entry, ties []BoundaryTie) {
	// ends[k] is one past the last place (0-based) of prize k.
	ends := make([]int, len(prizes))
	total := 0
	for k, p := range prizes {
		total += p.Count
		ends[k] = total
	}
	var group []int
	slot := 0
	for i := 0; i < len(entries) && slot < total; {
		rank := entries[i].Rank
		group = group[:0]
		for ; i < len(entries) && entries[i].Rank == rank; i++ {
			if entries[i].Eligible {
				group = append(group, i)
			}
		}
		if len(group) == 0 {
			continue
		}
		places := placesBetween(prizes, ends, slot, slot+len(group))
		slot += len(group)
		if len(places) == 1 && places[0].Count == len(group) {
			for _, g := range group {
				entries[g].Prize = places[0].Prize
				winners = append(winners, entries[g])
			}
			continue
		}
		tie := BoundaryTie{Rank: rank, PersonIDs: make([]int64, len(group)), Places: places}
		for n, g := range group {
			entries[g].TieAtBoundary = true
			tie.PersonIDs[n] = entries[g].PersonID
		}
		ties = append(ties, tie)
	}
	return winners, ties
}

// placesBetween lists, in prize order, the prize places numbered from (inclusive) to to
// (exclusive); places past the last prize are not listed.
func placesBetween(prizes []Prize, ends []int, from, to int) []Place {
	var out []Place
	start := 0
	for k, end := range ends {
		lo, hi := max(start, from), min(end, to)
		if lo < hi {
			out = append(out, Place{Prize: prizes[k].Name, Count: hi - lo})
		}
		start = end
	}
	return out
}
