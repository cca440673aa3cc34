package report

import (
	"context"
	"fmt"

	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/person"
	"github.com/dxcontest/contest-platform/internal/regrade"
	"github.com/dxcontest/contest-platform/internal/store"
)

// SheetCorrections lists the round's key corrections and, under each, every attempt whose
// score it changed. The sheet is there only when the round has corrections.
const SheetCorrections = "Điều chỉnh đáp án"

// corrections is the sheet of key corrections, or nil when the round has none.
func (b *builder) corrections(list []regrade.Correction) *Table {
	if len(list) == 0 {
		return nil
	}
	cols := []Column{{"Lần điều chỉnh", 10}, {"Thời điểm", 24}, {"Người điều chỉnh", 18}, {"Mã câu hỏi", 18},
		{"Đáp án cũ", 12}, {"Đáp án mới", 12}, {"Lý do", 50}, {"Số bài đổi điểm", 10}, {"Số người đổi kết quả tốt nhất", 12},
		{"Họ và tên", 26}, {"Số CCCD", 15}, {"Số điện thoại", 14}, {"Lượt thi", 8}, {"Điểm cũ", 8}, {"Điểm mới", 8}}
	no := make(map[int64]int, len(list))
	for i, c := range list {
		no[c.ID] = i
	}
	// One line for each correction, then one for each attempt it changed, under it.
	correctionCells := func(i int) []Cell {
		c := list[i]
		return []Cell{Int(int64(i + 1)), Text(timestampMillis(c.At, b.opts.Location)), Text(c.By), Text(c.QuestionID),
			Text(keyText(c.Old)), Text(keyText(c.New)), Text(c.Reason), Int(int64(c.AttemptsChanged)), Int(int64(c.PeopleChanged))}
	}
	blank := []Cell{Text(""), Text(""), Text(""), Text(""), Text(""), Text("")}
	return &Table{Name: SheetCorrections, File: "dieu-chinh-dap-an", Columns: cols,
		stream: func(ctx context.Context, emit func([]Cell) error) error {
			next := 0 // the next correction whose line is due
			upTo := func(i int) error {
				for ; next <= i; next++ {
					if err := emit(append(correctionCells(next), blank...)); err != nil {
						return err
					}
				}
				return nil
			}
			err := store.StreamScoreChanges(ctx, b.pool, b.rep.Round, 0, func(s store.ScoreChange) error {
				i, ok := no[s.CorrectionID]
				if !ok {
					return fmt.Errorf("score change of unknown correction %d", s.CorrectionID)
				}
				if err := upTo(i); err != nil {
					return err
				}
				id, phone := person.MaskNationalID(s.NationalID), person.MaskPhone(s.Phone)
				if b.opts.Unmasked {
					id, phone = s.NationalID, s.Phone
				}
				row := []Cell{Int(int64(i + 1)), Text(""), Text(""), Text(list[i].QuestionID), Text(""), Text(""), Text(""), Text(""), Text(""),
					Text(s.FullName), Text(id), Text(phone), Int(int64(s.AttemptNo)), Int(int64(s.Old)), Int(int64(s.New))}
				return emit(row)
			})
			if err != nil {
				return err
			}
			return upTo(len(list) - 1)
		}}
}

// keyText is a key as the committee reads it: the bank file's letter, or every option.
func keyText(k exam.Key) string {
	if k.Any {
		return "Mọi phương án đều đúng"
	}
	return k.String()
}
