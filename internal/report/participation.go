package report

import (
	"context"

	"github.com/dxcontest/contest-platform/internal/locale"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// participation builds the sheets by unit, locality, group and day, from one count of the
// round (store.ComputeRoundStats: one pass over its finished attempts for all four).
func (b *builder) participation(ctx context.Context) ([]*Table, error) {
	s, err := store.ComputeRoundStats(ctx, b.pool, b.rep.Round, store.StatsOptions{Zone: b.opts.Location.String()})
	if err != nil {
		return nil, err
	}
	return []*Table{byUnit(s.Units), byLocality(s.Localities), byGroup(s.Groups), byDay(s.Days)}, nil
}

func countColumns() []Column {
	return []Column{{"Số người dự thi", 12}, {"Số lượt thi", 12}}
}

// byUnit lists every unit of the contest's list, in its order, with its parent, its type,
// the headcount the list gives, its own participants and those of it and every unit under
// it; then the people who chose no unit, one line per text they typed, as "Khác — text".
// Counting by code, a unit is one line however its people spell it.
func byUnit(units []store.UnitParticipation) *Table {
	t := &Table{Name: SheetByOrganization, File: "theo-don-vi", Columns: append([]Column{
		{"Mã đơn vị", 12}, {"Đơn vị", 44}, {"Mã đơn vị cấp trên", 12}, {"Đơn vị cấp trên", 34}, {"Loại", 26},
		{"Số người theo danh sách", 12},
	}, append(countColumns(), Column{"Số người dự thi (cả đơn vị trực thuộc)", 14})...)}
	subtree := subtreeParticipants(units)
	for _, u := range units {
		if u.Code == "" {
			t.rows = append(t.rows, []Cell{Text(""), Text(otherLabel(u.Organization)), Text(""), Text(""), Text("Khác (tự ghi)"),
				Text(""), Int(u.Participants), Int(u.Attempts), Int(u.Participants)})
			continue
		}
		headcount := Text("")
		if u.Headcount != nil {
			headcount = Int(int64(*u.Headcount))
		}
		t.rows = append(t.rows, []Cell{Text(u.Code), Text(u.Name), Text(u.ParentCode), Text(u.ParentName),
			Text(u.Type.Label(locale.Vietnamese)), headcount, Int(u.Participants), Int(u.Attempts), Int(subtree[u.Code])})
	}
	return t
}

// subtreeParticipants adds each unit's participants to every unit above it.
func subtreeParticipants(units []store.UnitParticipation) map[string]int64 {
	parent := make(map[string]string, len(units))
	for _, u := range units {
		if u.Code != "" {
			parent[u.Code] = u.ParentCode
		}
	}
	total := make(map[string]int64, len(units))
	for _, u := range units {
		if u.Code == "" {
			continue
		}
		// The list is a tree (unit.Validate), at most unit.MaxDepth deep.
		for c, steps := u.Code, 0; c != "" && steps <= unit.MaxDepth; c, steps = parent[c], steps+1 {
			total[c] += u.Participants
		}
	}
	return total
}

// byLocality lists each district with its total, followed by its communes. The "Cấp"
// column tells them apart, so a filter on it sums without counting anyone twice.
func byLocality(places []store.LocalityParticipation) *Table {
	t := &Table{Name: SheetByLocality, File: "theo-dia-ban", Columns: append([]Column{
		{"Cấp", 7}, {"Mã huyện", 9}, {"Huyện, thị xã, thành phố", 26}, {"Mã xã", 8}, {"Xã, phường, thị trấn", 26},
	}, countColumns()...)}
	type district struct {
		self                   store.LocalityParticipation
		participants, attempts int64
		communes               [][]Cell
	}
	var order []*district
	byCode := map[string]*district{}
	for _, p := range places {
		if p.ParentCode == "" {
			d := &district{self: p, participants: p.Participants, attempts: p.Attempts}
			byCode[p.Code] = d
			order = append(order, d)
			continue
		}
		d := byCode[p.ParentCode] // districts come first (store order)
		if d == nil {
			continue
		}
		d.participants += p.Participants
		d.attempts += p.Attempts
		d.communes = append(d.communes, []Cell{Text("Xã"), Text(d.self.Code), Text(d.self.Name), Text(p.Code),
			Text(p.Name), Int(p.Participants), Int(p.Attempts)})
	}
	for _, d := range order {
		t.rows = append(t.rows, []Cell{Text("Huyện"), Text(d.self.Code), Text(d.self.Name), Text(""), Text(""),
			Int(d.participants), Int(d.attempts)})
		if d.self.Participants > 0 && len(d.communes) > 0 { // people who named the district only
			t.rows = append(t.rows, []Cell{Text("Xã"), Text(d.self.Code), Text(d.self.Name), Text(""),
				Text("(Không ghi xã)"), Int(d.self.Participants), Int(d.self.Attempts)})
		}
		t.rows = append(t.rows, d.communes...)
	}
	return t
}

// byGroup lists every participant group of the plan, with zero where nobody took part.
func byGroup(groups []store.Participation) *Table {
	t := &Table{Name: SheetByGroup, File: "theo-doi-tuong",
		Columns: append([]Column{{"Đối tượng", 44}}, countColumns()...)}
	counts := make(map[string]store.Participation, len(groups))
	for _, g := range groups {
		counts[g.Key] = g
	}
	for _, g := range person.Groups() {
		c := counts[string(g)]
		delete(counts, string(g))
		t.rows = append(t.rows, []Cell{Text(g.Label()), Int(c.Participants), Int(c.Attempts)})
	}
	for _, g := range groups { // values the plan does not know, should the schema grow
		if c, ok := counts[g.Key]; ok {
			t.rows = append(t.rows, []Cell{Text(groupLabel(c.Key)), Int(c.Participants), Int(c.Attempts)})
		}
	}
	return t
}

func byDay(days []store.DayParticipation) *Table {
	t := &Table{Name: SheetByDay, File: "theo-ngay", Columns: []Column{
		{"Ngày", 12}, {"Số lượt thi", 12}, {"Số người dự thi lần đầu", 14}, {"Lũy kế số người dự thi", 14},
	}}
	var total int64
	for _, d := range days {
		total += d.NewParticipants
		t.rows = append(t.rows, []Cell{Date(d.Day), Int(d.Attempts), Int(d.NewParticipants), Int(total)})
	}
	return t
}
