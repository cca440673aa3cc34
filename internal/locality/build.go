package locality

import (
	"strings"

	"golang.org/x/text/cases"
)

// Column positions in row.cells.
const (
	iDistrictCode = iota
	iDistrictName
	iCommuneCode
	iCommuneName
)

// crossCheck finds problems between rows: one code per district name and the reverse,
// unique commune codes, codes shared by a district and a commune (they share one key space
// per contest), and two communes of one district a contestant could not tell apart.
func crossCheck(rows []row) []RowError {
	var errs []RowError
	add := func(r row, col int, reason string) {
		errs = append(errs, RowError{Row: r.num, Column: columns[col], Reason: reason})
	}
	type first struct {
		row  int
		text string // a district's name, or the code of the district using a name
	}
	districtCode := map[string]first{}   // district code → first row and its name
	districtName := map[string]first{}   // district name key → first row and its code
	communeCode := map[string]first{}    // commune code → first row
	communeName := map[[2]string]first{} // (district code, commune name key) → first row
	for _, r := range rows {
		d, dOK := r.cells[iDistrictCode], r.ok[iDistrictCode]
		if dOK && r.ok[iDistrictName] {
			name := r.cells[iDistrictName]
			if f, seen := districtCode[d]; seen {
				if f.text != name {
					add(r, iDistrictName, reasonDistrictRenamed(f.row, f.text))
				}
			} else {
				districtCode[d] = first{r.num, name}
				if f, taken := districtName[nameKey(name)]; taken {
					add(r, iDistrictName, reasonDistrictNameTaken(f.text, f.row))
				} else {
					districtName[nameKey(name)] = first{r.num, d}
				}
			}
		}
		if c := r.cells[iCommuneCode]; r.ok[iCommuneCode] {
			if f, dup := communeCode[c]; dup {
				add(r, iCommuneCode, reasonDuplicateCommune(f.row))
			} else {
				communeCode[c] = first{row: r.num}
			}
		}
		if dOK && r.ok[iCommuneName] {
			k := [2]string{d, nameKey(r.cells[iCommuneName])}
			if f, dup := communeName[k]; dup {
				add(r, iCommuneName, reasonCommuneNameTaken(f.row))
			} else {
				communeName[k] = first{row: r.num}
			}
		}
	}
	// A commune may reuse the code of a district that only appears further down, so this
	// check waits until every district is known.
	for _, r := range rows {
		if f, clash := districtCode[r.cells[iCommuneCode]]; r.ok[iCommuneCode] && clash {
			add(r, iCommuneCode, reasonCommuneIsDistrict(f.row))
		}
	}
	return errs
}

// nameKey compares names as a person reads them: case-folded, spaces collapsed.
func nameKey(s string) string {
	return strings.Join(strings.Fields(cases.Fold().String(s)), " ")
}

// build turns checked rows into localities: each district at its first appearance, followed
// by all of its communes in file order.
func build(rows []row) []Locality {
	var order []string
	communes := map[string][]Locality{}
	names := map[string]string{}
	for _, r := range rows {
		d := r.cells[iDistrictCode]
		if _, seen := names[d]; !seen {
			order = append(order, d)
			names[d] = r.cells[iDistrictName]
		}
		communes[d] = append(communes[d], Locality{Code: r.cells[iCommuneCode], Name: r.cells[iCommuneName], ParentCode: d})
	}
	out := make([]Locality, 0, len(order)+len(rows))
	for _, d := range order {
		out = append(out, Locality{Code: d, Name: names[d]})
		out = append(out, communes[d]...)
	}
	return out
}
