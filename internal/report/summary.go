package report

import (
	"fmt"
	"strings"

	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/regrade"
)

// summary is the first sheet: what was ranked, the counts, and, first of all, whether the
// committee has a tie at a prize boundary to decide.
func (b *builder) summary(prizes prizeList, corrections []regrade.Correction) *Table {
	run, loc := b.rep.Run, b.opts.Location
	t := &Table{Name: SheetSummary, File: "tom-tat", Columns: []Column{{"Mục", 42}, {"Nội dung", 110}}}
	add := func(label string, v Cell) { t.rows = append(t.rows, []Cell{Text(label), v}) }

	add("Vòng thi", Text(b.rep.Round))
	add("Thời điểm xếp hạng", Text(timestampMillis(run.ComputedAt, loc)))
	add("Thời điểm lập báo cáo", Text(timestampMillis(b.opts.Now, loc)))
	add("Số người dự thi", Int(int64(run.Participants)))
	add("Số lượt thi", Int(run.Attempts))
	add("Số người trả lời đúng tất cả các câu (đáp án câu hỏi dự đoán)", Int(run.Perfect))
	keys := make([]string, len(run.TieBreak))
	for i, k := range run.TieBreak {
		keys[i] = fmt.Sprintf("%d. %s", i+1, tieBreakLabel(k))
	}
	add("Thứ tự xét giải", Text(strings.Join(keys, "; ")))
	add("Số giải đã xác định", Int(int64(prizes.awarded)))
	if len(b.rep.Prizes) > 0 {
		add("Cơ cấu giải và điều kiện nhận giải", Text(prizeRules(b.rep.Prizes)))
	}
	for _, v := range vacancies(b.rep.Prizes, prizes.byPrize, b.rep.Ties) {
		add("Suất giải để trống", Text(v))
	}
	for _, w := range tieWarnings(b.rep.Ties, prizes.names) {
		add("CẢNH BÁO: đồng hạng tại ranh giới giải", Warning(w))
	}
	if len(b.rep.Ties) == 0 {
		add("Đồng hạng tại ranh giới giải", Text("Không có. Mọi giải đã được xác định theo thể lệ."))
	}
	switch n := len(corrections); {
	case n == 0:
		add("Điều chỉnh đáp án", Text("Không có."))
	case corrections[n-1].At.After(run.ComputedAt):
		add("CẢNH BÁO: điều chỉnh đáp án sau khi xếp hạng", Warning(fmt.Sprintf("Đáp án được điều chỉnh lúc %s, sau lần xếp hạng này: "+
			"bảng xếp hạng và danh sách giải chưa dùng điểm đã chấm lại. Cần xếp hạng lại trước khi công bố (trang tính “%s”).",
			timestampMillis(corrections[n-1].At, loc), SheetCorrections)))
	default:
		add("Điều chỉnh đáp án", Text(fmt.Sprintf("%d lần; bài thi đã được chấm lại theo đáp án điều chỉnh trước lần xếp hạng này (trang tính “%s”).",
			n, SheetCorrections)))
	}
	if b.opts.Unmasked {
		add("Dữ liệu cá nhân", Warning("Báo cáo có đầy đủ số CCCD và số điện thoại: chỉ dùng trong Ban Tổ chức, không công bố, không gửi qua kênh không bảo mật."))
	} else {
		add("Dữ liệu cá nhân", Text("Số CCCD và số điện thoại đã được che một phần."))
	}
	return t
}

// tieWarnings says, for each tie at a prize boundary, who is tied for which places, in
// words a committee member reads without knowing the ranking rules.
func tieWarnings(ties []ranking.BoundaryTie, names map[int64]string) []string {
	out := make([]string, 0, len(ties))
	for _, tie := range ties {
		who := make([]string, len(tie.PersonIDs))
		for i, id := range tie.PersonIDs {
			who[i] = names[id]
			if who[i] == "" {
				who[i] = fmt.Sprintf("thí sinh mã %d", id)
			}
		}
		w := fmt.Sprintf("%d người đồng hạng %d (%s) bằng nhau ở mọi tiêu chí xét giải, trong khi các suất dành cho họ "+
			"khác mức giải hoặc không đủ cho tất cả: %s. "+
			"Thể lệ không phân định được: các suất này đang để trống, chưa trao cho ai. "+
			"Ban Tổ chức cần quyết định trước khi công bố kết quả.",
			len(tie.PersonIDs), tie.Rank, strings.Join(who, ", "), placesLabel(tie.Places))
		if left := len(tie.PersonIDs) - placeCount(tie.Places); left > 0 {
			w += fmt.Sprintf(" %d người trong nhóm sẽ không có giải.", left)
		}
		out = append(out, w)
	}
	return out
}

func placeCount(places []ranking.Place) int {
	n := 0
	for _, p := range places {
		n += p.Count
	}
	return n
}

// prizeRules lists the prizes as ranked: "Giải Nhất: 1 suất, từ 10 câu đúng; …".
func prizeRules(prizes []ranking.Prize) string {
	parts := make([]string, len(prizes))
	for i, p := range prizes {
		cond := "không yêu cầu số câu đúng tối thiểu"
		if p.MinCorrect > 0 {
			cond = fmt.Sprintf("cần ít nhất %d câu đúng", p.MinCorrect)
		}
		parts[i] = fmt.Sprintf("%s: %d suất, %s", p.Name, p.Count, cond)
	}
	return strings.Join(parts, "; ")
}

// vacancies says, per prize, how many places nobody was given nor holds in a tie: not
// enough eligible people met the prize's condition (or took part).
func vacancies(prizes []ranking.Prize, given map[string]int, ties []ranking.BoundaryTie) []string {
	held := map[string]int{}
	for _, t := range ties {
		for _, p := range t.Places {
			held[p.Prize] += p.Count
		}
	}
	var out []string
	for _, p := range prizes {
		if n := p.Count - given[p.Name] - held[p.Name]; n > 0 {
			why := "không đủ người đủ điều kiện nhận giải"
			if p.MinCorrect > 0 {
				why = fmt.Sprintf("không đủ người đủ điều kiện đạt từ %d câu đúng trở lên", p.MinCorrect)
			}
			out = append(out, fmt.Sprintf("%d suất %s không trao: %s", n, p.Name, why))
		}
	}
	return out
}
