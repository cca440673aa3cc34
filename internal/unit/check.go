package unit

// crossCheck finds problems between rows: repeated codes, parents missing from the list
// or forming a cycle, trees deeper than MaxDepth, two units of one parent a contestant
// could not tell apart, and an alias that names two units.
func crossCheck(rows []row) []RowError {
	var errs []RowError
	add := func(r row, col, reason string) {
		errs = append(errs, RowError{Row: r.num, Column: col, Reason: reason})
	}
	byCode := make(map[string]int, len(rows)) // code → index of its first row
	for i, r := range rows {
		if !r.codeOK {
			continue
		}
		if first, dup := byCode[r.unit.Code]; dup {
			add(r, ColCode, reasonDuplicateCode(rows[first].num))
			continue
		}
		byCode[r.unit.Code] = i
	}

	parents := make(map[string]string, len(rows))
	for _, r := range rows {
		p := r.unit.ParentCode
		switch {
		case !r.codeOK || !r.parentOK || p == "":
		case p == r.unit.Code:
			add(r, ColParent, reasonParentSelf)
		case !hasKey(byCode, p):
			add(r, ColParent, reasonParentMissing)
		default:
			if first := byCode[r.unit.Code]; rows[first].num == r.num {
				parents[r.unit.Code] = p
			}
		}
	}
	depth := depths(parents)
	reported := map[string]bool{} // a cycle is reported once, at the first row leading into it
	for i, r := range rows {
		if !r.codeOK || byCode[r.unit.Code] != i {
			continue
		}
		switch d := depth[r.unit.Code]; {
		case d < 0:
			if reported[r.unit.Code] {
				continue
			}
			path, _ := chain(parents, r.unit.Code)
			for _, c := range path {
				reported[c] = true
			}
			add(r, ColParent, reasonCycle(path))
		case d > MaxDepth:
			add(r, ColParent, reasonTooDeep(d))
		}
	}

	type first struct{ row int }
	siblings := map[[2]string]first{} // (parent, name key) → first row
	owner := map[string]first{}       // name or alias key → first row of its unit
	for _, r := range rows {
		if !r.nameOK {
			continue
		}
		k := [2]string{r.unit.ParentCode, Key(r.unit.Name)}
		if f, dup := siblings[k]; dup {
			add(r, ColName, reasonSiblingName(f.row))
		} else {
			siblings[k] = first{r.num}
		}
		if _, taken := owner[k[1]]; !taken {
			owner[k[1]] = first{r.num}
		}
	}
	for _, r := range rows {
		if !r.aliasesOK {
			continue
		}
		for _, a := range r.unit.Aliases {
			k := Key(a)
			if f, taken := owner[k]; taken && f.row != r.num {
				add(r, ColAliases, reasonAliasTaken(a, f.row))
				continue
			}
			owner[k] = first{r.num}
		}
	}
	return errs
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// depths gives every code of the tree its depth (1 for a top-level unit), or -1 when its
// parents lead into a cycle. Each code is walked once, so a long chain costs linear time.
func depths(parents map[string]string) map[string]int {
	depth := make(map[string]int, len(parents))
	for code := range parents {
		if _, done := depth[code]; done {
			continue
		}
		// Walk up until a code of known depth, a top-level unit or a code of this walk.
		var path []string
		onPath := map[string]bool{}
		c, base := code, 0
		for {
			if d, done := depth[c]; done {
				base = d
				break
			}
			p, ok := parents[c]
			if !ok {
				path = append(path, c)
				base = 0
				break
			}
			if onPath[c] {
				base = -1
				break
			}
			onPath[c] = true
			path = append(path, c)
			c = p
		}
		for i := len(path) - 1; i >= 0; i-- {
			if base < 0 {
				depth[path[i]] = -1
				continue
			}
			base++
			depth[path[i]] = base
		}
	}
	return depth
}

// chain follows parents from code to its top-level unit and returns the codes on the way,
// code first; cycle is true when the way leads back to a code already on it (the path then
// ends with that code repeated).
func chain(parents map[string]string, code string) (path []string, cycle bool) {
	seen := map[string]bool{}
	for c, ok := code, true; ok; c, ok = parents[c] {
		path = append(path, c)
		if seen[c] {
			return path, true
		}
		seen[c] = true
	}
	return path, false
}
