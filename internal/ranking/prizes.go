package ranking

// awardPrizes fills the prize places, in declared order, with the eligible people of
// entries (already in ranking order). It returns the winners in prize order and the ties
// it could not decide.
//
// Prizes are filled one level after the other. A level's places go to the best-ranked
// eligible people who have no prize yet and meet its condition (MinCorrect). A person
// below the condition keeps their rank but neither takes the prize nor holds its place:
// the place goes to the next person who meets the condition, or stays vacant when nobody
// does (a place is never moved to another prize: the plan fixes how many of each there
// are). Such a person may still take a lower prize whose condition they meet: they are
// looked at again, in rank order, when that prize is filled. Entry.BelowCondition records
// the first prize they were passed over for: the one they were within reach of — fewer
// than its open places held by eligible people without a prize ranked above them — when
// it was filled.
//
// Policy for a tie at a prize boundary. The plan fixes how many of each prize there are,
// and the money follows, so a place is never added; and nothing the rules rank by can
// separate people who share a rank, so neither the person id nor anything else in the
// data picks among them. The people of one rank who compete for a level take its next
// len(group) places together: if those places all exist and are of one prize, every one
// of them gets it; otherwise (two prize levels, or past the last place) none of them is
// given a prize, the places they reach are held for them (later people go on from after
// those places, as if the group had taken them, so nobody below the tie gains from it),
// and a BoundaryTie reports the group and the places for the organizers to decide, e.g.
// by the lot or extra criterion their contest rules provide. The places reached past the
// level are the next open places of the following levels, whose conditions every member
// meets since no lower prize asks for more.
func awardPrizes(entries []Entry, prizes []Prize) (winners []Entry, ties []BoundaryTie) {
	open := make([]int, len(prizes)) // places of each level neither given nor held
	for k, p := range prizes {
		open[k] = p.Count
	}
	// done marks the people given a prize or held in a boundary tie.
	done := make([]bool, len(entries))
	byLevel := make([][]Entry, len(prizes))
	var group []int
	for k, p := range prizes {
		// reach is what is left of the level's open places once the free eligible people
		// ranked above are counted, whether they meet the condition or not.
		reach := open[k]
		for i := 0; i < len(entries) && open[k] > 0; {
			rank := entries[i].Rank
			group = group[:0]
			free := 0
			for ; i < len(entries) && entries[i].Rank == rank; i++ {
				e := &entries[i]
				if !e.Eligible || done[i] {
					continue
				}
				free++
				if e.Correct >= p.MinCorrect {
					group = append(group, i)
				} else if reach > 0 && e.BelowCondition == "" {
					e.BelowCondition = p.Name
				}
			}
			reach -= free
			if len(group) == 0 {
				continue
			}
			if len(group) <= open[k] {
				open[k] -= len(group)
				for _, g := range group {
					done[g] = true
					entries[g].Prize = p.Name
					byLevel[k] = append(byLevel[k], entries[g])
				}
				continue
			}
			tie := BoundaryTie{Rank: rank, PersonIDs: make([]int64, len(group))}
			need := len(group)
			for j := k; j < len(prizes) && need > 0; j++ {
				if n := min(open[j], need); n > 0 {
					tie.Places = append(tie.Places, Place{Prize: prizes[j].Name, Count: n})
					open[j] -= n
					need -= n
				}
			}
			for n, g := range group {
				done[g] = true
				entries[g].TieAtBoundary = true
				tie.PersonIDs[n] = entries[g].PersonID
			}
			ties = append(ties, tie)
		}
	}
	// An entry is final once given its prize, so the copies taken then are the winners.
	for _, w := range byLevel {
		winners = append(winners, w...)
	}
	return winners, ties
}
