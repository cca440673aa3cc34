package report

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/store"
)

// SheetItems is the item analysis: one line per question drawn, dubious ones first.
const SheetItems = "Phân tích câu hỏi"

// ItemsWithheld is what the item analysis sheet says instead of its lines while the answer
// key may still be used by a round (Options.HideAnswerKey).
const ItemsWithheld = "Chưa hiển thị: sheet này có đáp án, mà một đợt thi khác dùng cùng ngân hàng câu hỏi vẫn đang diễn ra. " +
	"Tải lại báo cáo sau khi mọi đợt thi dùng ngân hàng này đã kết thúc."

// items is the item analysis of the round, from every finished attempt's answers (see
// internal/itemstats for what the figures mean), judged by the key in force: a question
// whose key the round corrected shows the corrected key, and says so. It shows the answer key, so it is left
// empty, saying why, when the caller says the key is still in use.
func (b *builder) items(ctx context.Context) (*Table, error) {
	cols := []Column{{"Đáng ngờ", 9}, {"Lý do cần xem lại", 60}, {"Mã câu hỏi", 18}, {"Chủ đề", 30}, {"Câu hỏi", 60},
		{"Đáp án", 12}, {"Điều chỉnh đáp án", 40}, {"Số lượt được hỏi", 10}, {"Số lượt trả lời đúng", 10}, {"Độ dễ (%)", 9}, {"Độ phân biệt", 10}}
	for o := range bank.MaxOptions {
		cols = append(cols, Column{"Chọn " + bank.OptionLetter(o), 8})
	}
	cols = append(cols, Column{"Bỏ trống", 8})
	t := &Table{Name: SheetItems, File: "phan-tich-cau-hoi", Columns: cols}
	note := func(s string) *Table {
		row := make([]Cell, len(cols))
		for i := range row {
			row[i] = Text("")
		}
		row[1] = Text(s)
		t.rows = append(t.rows, row)
		return t
	}
	if b.opts.HideAnswerKey {
		return note(ItemsWithheld), nil
	}
	name, version, err := store.RoundBank(ctx, b.pool, b.rep.Round)
	if errors.Is(err, store.ErrNotFound) {
		return note("Không có lượt thi nào đã kết thúc."), nil
	}
	if err != nil {
		return nil, err
	}
	bk, err := store.LoadBank(ctx, b.pool, name, version)
	if err != nil {
		return nil, err
	}
	tally, err := store.ItemTally(ctx, b.pool, b.rep.Round, bk)
	if err != nil {
		return nil, err
	}
	a, err := tally.Analyze()
	if err != nil {
		return nil, fmt.Errorf("item analysis of %s: %w", b.rep.Round, err)
	}
	if len(a.Items) == 0 {
		return note("Không có lượt thi nào có câu trả lời."), nil
	}
	for i := range a.Items {
		it := &a.Items[i]
		topic := it.Question.Topic
		if tp, ok := bk.Topic(topic); ok {
			topic = tp.Title
		}
		dubious, discrimination := Text(""), Text("không xác định")
		if it.Dubious() {
			dubious = Warning("Có")
		}
		if it.HasDiscrimination {
			discrimination = Decimal(it.Discrimination, 2)
		}
		key, corrected := keyText(exam.Key{Option: it.Key, Any: it.AnyAccepted}), ""
		if it.Corrected {
			corrected = fmt.Sprintf("Đã điều chỉnh cho đợt thi này (đáp án trong ngân hàng: %s); xem sheet “%s”.",
				bank.OptionLetter(it.BankKey), SheetCorrections)
		}
		row := []Cell{dubious, Text(itemReasons(it)), Text(it.Question.ID), Text(topic), Text(it.Question.Text),
			Text(key), Text(corrected), Int(it.Drawn), Int(it.Correct), Decimal(100*it.Facility, 1), discrimination}
		for o := range bank.MaxOptions {
			if o < len(it.Chosen) {
				row = append(row, Int(it.Chosen[o]))
			} else {
				row = append(row, Text(""))
			}
		}
		t.rows = append(t.rows, append(row, Int(it.Blank)))
	}
	return t, nil
}

// itemReasons says in plain words why a question should be read again, or that it has too
// few answers to tell.
func itemReasons(it *itemstats.Item) string {
	if it.TooFew {
		return fmt.Sprintf("Dưới %d lượt được hỏi: chưa đủ để đánh giá.", itemstats.MinSample)
	}
	var out []string
	for _, f := range it.Flags {
		switch f.Kind {
		case itemstats.FlagDistractor:
			out = append(out, fmt.Sprintf("Phương án %s được chọn nhiều hơn đáp án %s (%d so với %d lượt): kiểm tra lại đáp án và cách hỏi; "+
				"nếu đáp án sai, điều chỉnh đáp án của đợt thi trên trang quản trị.",
				bank.OptionLetter(f.Option), bank.OptionLetter(it.Key), it.Chosen[f.Option], it.Correct))
		case itemstats.FlagNegative:
			out = append(out, fmt.Sprintf("Độ phân biệt âm (%s): người làm tốt các câu khác lại hay trả lời sai câu này; "+
				"thường do đáp án sai hoặc câu hỏi gây hiểu nhầm.", decimalVI(it.Discrimination, 2)))
		}
	}
	return strings.Join(out, " ")
}

// decimalVI writes a number as Vietnamese text does: a decimal comma.
func decimalVI(v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", ",", 1)
}
