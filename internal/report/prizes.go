package report

import (
	"context"
	"fmt"

	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/store"
)

// Sheet names, in the committee's words.
const (
	SheetSummary        = "Tóm tắt"
	SheetPrizes         = "Giải thưởng"
	SheetRanking        = "Xếp hạng"
	SheetByOrganization = "Theo đơn vị"
	SheetByLocality     = "Theo địa bàn"
	SheetByGroup        = "Theo đối tượng"
	SheetByDay          = "Theo ngày"
)

// PendingPrize is what the prize column says of a person in a tie at a prize boundary.
const PendingPrize = "Chờ Ban Tổ chức quyết định"

// prizeList is the prize sheet and what the summary says about it.
type prizeList struct {
	table   *Table
	awarded int
	byPrize map[string]int   // places given, by prize
	names   map[int64]string // people in boundary ties
}

// personColumns identify a person; the same in the prize and ranking sheets.
func personColumns() []Column {
	return []Column{
		{"Họ và tên", 26}, {"Số CCCD", 15}, {"Số điện thoại", 14}, {"Đơn vị", 34},
		{"Xã, phường, thị trấn", 22}, {"Huyện, thị xã, thành phố", 24}, {"Đối tượng", 30},
	}
}

func (b *builder) personCells(p store.ContestantDetail) []Cell {
	id, phone := person.MaskNationalID(p.NationalID), person.MaskPhone(p.Phone)
	if b.opts.Unmasked {
		id, phone = p.NationalID, p.Phone
	}
	commune, district := p.LocalityName, p.DistrictName
	if district == "" { // registered under a district itself
		commune, district = "", p.LocalityName
	}
	return []Cell{Text(p.FullName), Text(id), Text(phone), Text(organizationLabel(p.Organization)),
		Text(commune), Text(district), Text(groupLabel(p.ParticipantGroup))}
}

// prizeCell is the prize column: the prize, or the pending decision of a boundary tie.
func (b *builder) prizeCell(e store.RankingRow) Cell {
	if e.Prize == "" && (e.TieAtBoundary || b.tied[e.ContestantID] != nil) {
		return Warning(PendingPrize)
	}
	return Text(e.Prize)
}

func (b *builder) winners(ctx context.Context) (prizeList, error) {
	tiedIDs := make([]int64, 0, len(b.tied))
	for id := range b.tied {
		tiedIDs = append(tiedIDs, id)
	}
	lines, err := store.RankingPrizeLines(ctx, b.pool, b.rep.Round, tiedIDs)
	if err != nil {
		return prizeList{}, err
	}
	cols := append([]Column{{"Giải", 26}, {"Hạng", 7}}, personColumns()...)
	cols = append(cols, Column{"Số câu đúng", 8}, Column{"Tổng số câu", 8}, Column{"Dự đoán", 10},
		Column{"Chênh lệch dự đoán", 11}, Column{"Thời gian làm bài (giây)", 13},
		Column{"Thời gian làm bài (giờ:phút:giây)", 13}, Column{"Thời điểm nộp bài", 24}, Column{"Ghi chú", 60})
	list := prizeList{table: &Table{Name: SheetPrizes, File: "giai-thuong", Columns: cols}, byPrize: map[string]int{}, names: map[int64]string{}}
	for _, l := range lines {
		e := l.Entry
		row := append([]Cell{b.prizeCell(e), Int(int64(e.Rank))}, b.personCells(l.Person)...)
		row = append(row, Int(int64(e.Correct)), Int(int64(e.Total)), prediction(e.Prediction), Int(e.Distance),
			seconds(e.TimeUsed, 3), Text(clock(e.TimeUsed)), Text(timestampMillis(e.SubmittedAt, b.opts.Location)),
			b.prizeNote(e))
		list.table.rows = append(list.table.rows, row)
		if e.Prize != "" {
			list.awarded++
			list.byPrize[e.Prize]++
		} else {
			list.names[e.ContestantID] = l.Person.FullName
		}
	}
	return list, nil
}

// prizeNote explains a line of the prize sheet: a boundary tie, or a prize condition the
// person did not meet.
func (b *builder) prizeNote(e store.RankingRow) Cell {
	below := b.belowNote(e)
	if e.Prize != "" || (!e.TieAtBoundary && b.tied[e.ContestantID] == nil) {
		return Text(below)
	}
	tie := b.tieNote(e)
	if below != "" {
		tie.text += "; " + below
	}
	return tie
}

// belowNote says which prize's condition the person did not meet, and by how much.
func (b *builder) belowNote(e store.RankingRow) string {
	if e.BelowCondition == "" {
		return ""
	}
	for _, p := range b.rep.Prizes {
		if p.Name == e.BelowCondition {
			return fmt.Sprintf("Không đạt điều kiện nhận %s: cần ít nhất %d câu đúng, có %d câu", p.Name, p.MinCorrect, e.Correct)
		}
	}
	return fmt.Sprintf("Không đạt điều kiện nhận %s (số câu đúng tối thiểu)", e.BelowCondition)
}

// tieNote explains a boundary tie on the prize sheet.
func (b *builder) tieNote(e store.RankingRow) Cell {
	tie := b.tied[e.ContestantID]
	switch {
	case e.Prize != "":
		return Text("")
	case tie == nil:
		return Warning(fmt.Sprintf("Đồng hạng %d tại ranh giới giải; Ban Tổ chức quyết định", e.Rank))
	}
	note := fmt.Sprintf("Đồng hạng %d cùng %d người khác, tranh %s; Ban Tổ chức quyết định",
		tie.Rank, len(tie.PersonIDs)-1, placesLabel(tie.Places))
	if left := len(tie.PersonIDs) - placeCount(tie.Places); left > 0 {
		note += fmt.Sprintf("; %d người trong nhóm sẽ không có giải", left)
	}
	return Warning(note)
}

// prediction is the answer to the prediction question; the distance column then shows
// the ranking job's stand-in, which places the person after everyone who answered.
func prediction(p *int64) Cell {
	if p == nil {
		return Text("(không trả lời)")
	}
	return Int(*p)
}
