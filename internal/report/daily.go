package report

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// The daily participation export: what the plan's agencies report every day while a
// round is open. People are counted once, on the day (in the contest's time zone) their
// first finished attempt started; each line has a column per day of the round so far and
// the total, and the units' sheet the participation rate where the list gives a headcount
// (for group awards by participation). Unlike the report, it needs no ranking.

// Sheets of the daily export.
const (
	SheetDailyByUnit     = "Theo đơn vị"
	SheetDailyByLocality = "Theo địa bàn"
	SheetDailyByDay      = "Theo ngày"
)

// MaxDailyColumns bounds the day columns, and so what a line holds in memory: a round of
// more days (the plan's last 15) shows its last ones; the totals still count every day.
const MaxDailyColumns = 62

// DailyOptions say which days have a column.
type DailyOptions struct {
	// From and To are the round's window: a column per calendar day in Location from
	// From's day to the day of the earlier of To and Now.
	From, To, Now time.Time
	// Location is the contest's time zone; its name must be one PostgreSQL knows.
	Location *time.Location
}

// Daily returns the daily participation export of a round of a contest: by unit, by
// locality and by day. The tables read pool (a pool, or one transaction for figures as of
// one instant) while they are written, so it must stay open until then.
func Daily(pool store.Querier, contestID, round string, opts DailyOptions) []*Table {
	days := dailyDays(opts)
	d := daily{pool: pool, contestID: contestID, round: round, zone: opts.Location.String(), days: days,
		column: make(map[string]int, len(days))}
	for i, day := range days {
		d.column[day.Format(time.DateOnly)] = i
	}
	return []*Table{
		NewStreamTable(SheetDailyByUnit, "tham-gia-theo-don-vi", append([]Column{
			{"Cấp", 6}, {"Mã đơn vị", 12}, {"Đơn vị", 44}, {"Đơn vị cấp trên", 34}, {"Số người theo danh sách", 12},
			{"Số người dự thi (cả đơn vị trực thuộc)", 14}, {"Tỷ lệ tham gia (%)", 10}, {"Số người dự thi (riêng đơn vị)", 12},
		}, d.dayColumns()...), d.byUnit),
		NewStreamTable(SheetDailyByLocality, "tham-gia-theo-dia-ban", append([]Column{
			{"Cấp", 7}, {"Mã huyện", 9}, {"Huyện, thị xã, thành phố", 26}, {"Mã xã", 8}, {"Xã, phường, thị trấn", 26},
			{"Số người dự thi", 12},
		}, d.dayColumns()...), d.byLocality),
		NewStreamTable(SheetDailyByDay, "tham-gia-theo-ngay", []Column{
			{"Ngày", 12}, {"Số lượt thi", 12}, {"Số người dự thi lần đầu", 14}, {"Lũy kế số người dự thi", 14},
		}, d.byDay),
	}
}

// dailyDays lists the calendar days of the window so far, at most MaxDailyColumns (the
// last ones), each as midnight UTC of the day in opts.Location.
func dailyDays(opts DailyOptions) []time.Time {
	end := opts.To
	if opts.Now.Before(end) {
		end = opts.Now
	}
	date := func(t time.Time) time.Time {
		y, m, d := t.In(opts.Location).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	first, last := date(opts.From), date(end)
	if end.Before(opts.From) {
		return nil
	}
	if n := int(last.Sub(first).Hours()/24) + 1; n > MaxDailyColumns {
		first = last.AddDate(0, 0, -(MaxDailyColumns - 1))
	}
	var days []time.Time
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	return days
}

type daily struct {
	pool        store.Querier
	contestID   string
	round, zone string
	days        []time.Time
	column      map[string]int // day (2006-01-02) → index in days

	// The counts, read once (load) for the three sheets.
	loaded    bool
	units     map[string]*perDay // people of exactly the unit
	places    map[string]*perDay
	spellings []*spellingLine // most people first
}

// spellingLine is the people without a unit who typed one spelling; its days are kept
// sparse, as most spellings are one person's.
type spellingLine struct {
	key, text string
	days      []dayCount
	total     int64
}

type dayCount struct {
	column int
	people int64
}

// load reads the round's first-day counts once, in one pass over its attempts.
func (d *daily) load(ctx context.Context) error {
	if d.loaded {
		return nil
	}
	d.units, d.places = map[string]*perDay{}, map[string]*perDay{}
	spellings := map[string]*spellingLine{}
	err := store.FirstDays(ctx, d.pool, d.round, d.zone, func(c store.FirstDayCount) error {
		switch c.By {
		case store.ByUnit:
			d.add(d.line(d.units, c.Key), c)
		case store.ByLocality:
			d.add(d.line(d.places, c.Key), c)
		case store.BySpelling:
			l := spellings[c.Key]
			if l == nil {
				l = &spellingLine{key: c.Key, text: c.Text}
				spellings[c.Key] = l
				d.spellings = append(d.spellings, l)
			}
			if c.Text < l.text { // the same text whatever the order rows come in
				l.text = c.Text
			}
			if i, ok := d.column[c.Day.UTC().Format(time.DateOnly)]; ok {
				l.days = append(l.days, dayCount{i, c.People})
			}
			l.total += c.People
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(d.spellings, func(a, b *spellingLine) int {
		return cmp.Or(cmp.Compare(b.total, a.total), cmp.Compare(a.key, b.key))
	})
	d.loaded = true
	return nil
}

func (d *daily) line(m map[string]*perDay, key string) *perDay {
	p := m[key]
	if p == nil {
		p = &perDay{days: make([]int64, len(d.days))}
		m[key] = p
	}
	return p
}

func (d *daily) dayColumns() []Column {
	cols := make([]Column, len(d.days))
	for i, day := range d.days {
		cols[i] = Column{day.Format("02/01/2006"), 11}
	}
	return cols
}

// perDay is one line's first-day counts, a slot per day column, and its total (which
// counts days without a column too).
type perDay struct {
	days  []int64
	total int64
}

func (d *daily) add(p *perDay, c store.FirstDayCount) {
	if i, ok := d.column[c.Day.UTC().Format(time.DateOnly)]; ok {
		p.days[i] += c.People
	}
	p.total += c.People
}

func (d *daily) dayCells(cells []Cell, p perDay) []Cell {
	for i := range d.days {
		var n int64
		if p.days != nil {
			n = p.days[i]
		}
		cells = append(cells, Int(n))
	}
	return cells
}

// byUnit lists every unit of the list in the tree's order (a unit, then the units under
// it), zeros included, each counted with the units under it, as the eligibility rule
// counts a department with its divisions; then the people who chose no unit, one line per
// spelling of what they typed ("Khác — …"), most people first. "Cấp" is the level in the
// tree, so a filter on 1 (and "Khác") sums everyone once.
func (d *daily) byUnit(ctx context.Context, emit func([]Cell) error) error {
	us, err := store.ListUnits(ctx, d.pool, d.contestID)
	if err != nil {
		return err
	}
	if err := d.load(ctx); err != nil {
		return err
	}
	own := d.units
	subtree := map[string]*perDay{}
	parents := unit.Parents(us)
	for code, p := range own {
		// The list is a tree at most unit.MaxDepth deep (unit.Validate).
		for c, steps := code, 0; c != "" && steps <= unit.MaxDepth; c, steps = parents[c], steps+1 {
			s := subtree[c]
			if s == nil {
				s = &perDay{days: make([]int64, len(d.days))}
				subtree[c] = s
			}
			for i, n := range p.days {
				s.days[i] += n
			}
			s.total += p.total
		}
	}
	names := make(map[string]string, len(us))
	for _, u := range us {
		names[u.Code] = u.Name
	}
	var cells []Cell
	for _, n := range unitOrder(us) {
		u := us[n.index]
		var sub, mine perDay
		if s := subtree[u.Code]; s != nil {
			sub = *s
		}
		if o := own[u.Code]; o != nil {
			mine = *o
		}
		headcount, rate := Text(""), Text("")
		if u.Headcount != nil {
			headcount = Int(int64(*u.Headcount))
			if *u.Headcount > 0 {
				rate = Decimal(100*float64(sub.total)/float64(*u.Headcount), 1)
			}
		}
		cells = append(cells[:0], Int(int64(n.depth+1)), Text(u.Code), Text(u.Name), Text(names[u.ParentCode]), headcount,
			Int(sub.total), rate, Int(mine.total))
		if err := emit(d.dayCells(cells, sub)); err != nil {
			return err
		}
	}
	for _, l := range d.spellings {
		cells = append(cells[:0], Text("Khác"), Text(""), Text(otherLabel(l.text)), Text(""), Text(""), Int(l.total), Text(""), Int(l.total))
		for range d.days {
			cells = append(cells, Int(0))
		}
		for _, dc := range l.days {
			cells[8+dc.column] = Int(dc.people)
		}
		if err := emit(cells); err != nil {
			return err
		}
	}
	return nil
}

type treeNode struct{ index, depth int }

// unitOrder is the list in the tree's order: each unit followed by the units under it, in
// the list's order.
func unitOrder(us []unit.Unit) []treeNode {
	children := map[string][]int{}
	for i, u := range us {
		children[u.ParentCode] = append(children[u.ParentCode], i)
	}
	out := make([]treeNode, 0, len(us))
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		if depth >= unit.MaxDepth {
			return
		}
		for _, i := range children[parent] {
			out = append(out, treeNode{index: i, depth: depth})
			walk(us[i].Code, depth+1)
		}
	}
	walk("", 0)
	return out
}

// byLocality lists each district with its total, then its communes, zeros included, as
// the report does; "Cấp" tells them apart.
func (d *daily) byLocality(ctx context.Context, emit func([]Cell) error) error {
	ls, err := store.ListLocalities(ctx, d.pool, d.contestID)
	if err != nil {
		return err
	}
	if err := d.load(ctx); err != nil {
		return err
	}
	own := d.places
	get := func(code string) perDay {
		if p := own[code]; p != nil {
			return *p
		}
		return perDay{}
	}
	communes := map[string][]locality.Locality{}
	for _, l := range ls {
		if l.ParentCode != "" {
			communes[l.ParentCode] = append(communes[l.ParentCode], l)
		}
	}
	var cells []Cell
	for _, dist := range ls {
		if dist.ParentCode != "" {
			continue
		}
		total := perDay{days: make([]int64, len(d.days))}
		for _, l := range append([]locality.Locality{dist}, communes[dist.Code]...) {
			p := get(l.Code)
			for i, n := range p.days {
				total.days[i] += n
			}
			total.total += p.total
		}
		cells = append(cells[:0], Text("Huyện"), Text(dist.Code), Text(dist.Name), Text(""), Text(""), Int(total.total))
		if err := emit(d.dayCells(cells, total)); err != nil {
			return err
		}
		if p := get(dist.Code); p.total > 0 && len(communes[dist.Code]) > 0 { // people who named the district only
			cells = append(cells[:0], Text("Xã"), Text(dist.Code), Text(dist.Name), Text(""), Text("(Không ghi xã)"), Int(p.total))
			if err := emit(d.dayCells(cells, p)); err != nil {
				return err
			}
		}
		for _, l := range communes[dist.Code] {
			p := get(l.Code)
			cells = append(cells[:0], Text("Xã"), Text(dist.Code), Text(dist.Name), Text(l.Code), Text(l.Name), Int(p.total))
			if err := emit(d.dayCells(cells, p)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *daily) byDay(ctx context.Context, emit func([]Cell) error) error {
	days, err := store.ParticipationByDay(ctx, d.pool, d.round, d.zone)
	if err != nil {
		return err
	}
	return byDay(days).Each(ctx, emit)
}
