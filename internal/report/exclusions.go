package report

import (
	"context"
	"strings"

	"github.com/dxcontest/contest-platform/internal/integrity"
	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/store"
)

// SheetExclusions lists the people organizers excluded from prizes by hand.
const SheetExclusions = "Loại khỏi xét giải"

// exclusions is the sheet of the people organizers flagged: among the round's ranked
// people, those flagged when it was ranked or flagged now, with the reason, who decided
// and when, and, when the review queue led to it, its decision and the evidence as the
// organizer read it. The ranking sheet already says who is not eligible and why (by the
// rules too); this sheet adds who decided, when and on what evidence, and says when the
// flag changed after the ranking, which only a new ranking takes into account.
func (b *builder) exclusions(ctx context.Context) (*Table, error) {
	list, err := store.RoundExclusions(ctx, b.pool, b.rep.Round)
	if err != nil {
		return nil, err
	}
	cols := append([]Column{{"Hạng", 7}, {"Mã thí sinh", 11}}, personColumns()...)
	cols = append(cols, Column{"Lý do trong bảng xếp hạng", 40}, Column{"Lý do của Ban Tổ chức", 40},
		Column{"Người đánh dấu", 16}, Column{"Thời điểm đánh dấu", 24}, Column{"Quyết định rà soát", 18},
		Column{"Người quyết định", 16}, Column{"Thời điểm quyết định", 24}, Column{"Dấu hiệu (tóm tắt)", 80},
		Column{"Ghi chú", 40})
	t := &Table{Name: SheetExclusions, File: "loai-khoi-xet-giai", Columns: cols}
	loc := b.opts.Location
	for _, x := range list {
		row := []Cell{Int(int64(x.Entry.Rank)), Int(x.Entry.ContestantID)}
		row = append(row, b.personCells(x.Person)...)
		flaggedAt := ""
		if x.Flag.At != nil {
			flaggedAt = timestampMillis(*x.Flag.At, loc)
		}
		reason, by := x.Flag.Reason, x.Flag.By
		if !x.Flag.Ineligible {
			reason, by, flaggedAt = "", "", ""
		}
		decision, decidedBy, decidedAt, summary := "", "", "", ""
		if r := x.Review; r != nil {
			decision, decidedBy, decidedAt, summary = decisionLabel(r.Decision), r.By, timestampMillis(r.At, loc), r.Summary
		}
		row = append(row, Text(reasonLabel(x.Entry.IneligibleReason)), Text(reason), Text(by), Text(flaggedAt),
			Text(decision), Text(decidedBy), Text(decidedAt), Text(summary), exclusionNote(x))
		t.rows = append(t.rows, row)
	}
	return t, nil
}

func decisionLabel(d integrity.Decision) string {
	switch d {
	case integrity.Excluded:
		return "Loại khỏi xét giải"
	case integrity.Dismissed:
		return "Không vi phạm"
	}
	return string(d)
}

// exclusionNote warns when the flag changed after the round was ranked: the ranking, the
// prizes and this report follow the flag as it was until the round is ranked again.
func exclusionNote(x store.Exclusion) Cell {
	inRanking := strings.HasPrefix(x.Entry.IneligibleReason, ranking.ReasonFlagged)
	switch {
	case inRanking && !x.Flag.Ineligible:
		return Warning("Đã bỏ đánh dấu sau lần xếp hạng này: cần xếp hạng lại.")
	case !inRanking && x.Flag.Ineligible:
		return Warning("Bị đánh dấu sau lần xếp hạng này: chỉ có hiệu lực khi xếp hạng lại.")
	}
	return Text("")
}
