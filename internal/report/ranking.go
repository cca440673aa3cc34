package report

import (
	"context"

	"github.com/dxcontest/contest-platform/internal/store"
)

// ranking is the full ranking with every value that placed each person, streamed from the
// database while it is written. Values are exact (microseconds), so two lines that differ
// only below a millisecond still show why.
func (b *builder) ranking() *Table {
	cols := append([]Column{{"Vị trí", 8}, {"Hạng", 7}, {"Mã thí sinh", 11}}, personColumns()...)
	cols = append(cols, Column{"Số câu đúng", 8}, Column{"Tổng số câu", 8}, Column{"Dự đoán", 10},
		Column{"Chênh lệch dự đoán", 11}, Column{"Thời gian làm bài (giây)", 16},
		Column{"Thời gian làm bài (giờ:phút:giây)", 13}, Column{"Thời điểm nộp bài", 27}, Column{"Mã lượt thi", 11},
		Column{"Đủ điều kiện nhận giải", 10}, Column{"Lý do không đủ điều kiện", 40}, Column{"Giải", 26},
		Column{"Đồng hạng tại ranh giới giải", 12}, Column{"Điều kiện nhận giải", 40})
	return &Table{Name: SheetRanking, File: "xep-hang", Columns: cols,
		stream: func(ctx context.Context, emit func([]Cell) error) error {
			row := make([]Cell, 0, len(cols))
			return store.StreamRankingDetails(ctx, b.pool, b.rep.Round, func(l store.RankedContestant) error {
				e := l.Entry
				boundary := e.TieAtBoundary || b.tied[e.ContestantID] != nil
				row = append(row[:0], Int(int64(e.Position)), Int(int64(e.Rank)), Int(e.ContestantID))
				row = append(row, b.personCells(l.Person)...)
				row = append(row, Int(int64(e.Correct)), Int(int64(e.Total)), prediction(e.Prediction), Int(e.Distance),
					seconds(e.TimeUsed, 6), Text(clock(e.TimeUsed)), Text(timestamp(e.SubmittedAt, b.opts.Location)),
					Int(e.AttemptID), Text(yesNo(e.Eligible)), Text(reasonLabel(e.IneligibleReason)), b.prizeCell(e),
					boundaryCell(boundary), Text(b.belowNote(e)))
				return emit(row)
			})
		}}
}

func boundaryCell(tied bool) Cell {
	if tied {
		return Warning("Có")
	}
	return Text("")
}
