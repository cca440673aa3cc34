package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/attempt"
	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/report"
	"github.com/dxcontest/contest-platform/internal/report/reporttest"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/testutil/pgtest"
)

// answerRound adds 60 people to the fixture's round, each with one attempt on the sample
// bank's first four questions, shown in bank order: 40 strong ones get q0 and q1 right, half
// of them q3 too, and choose a wrong option of q2; 20 weak ones get only q2 right and leave
// q3 blank. q2 is then a question keyed wrong, as it looks in the data. Every other attempt
// keeps its responses, so both ways of reading them are used.
func answerRound(t *testing.T, pool *pgxpool.Pool) (b *bank.Bank, wrongOfQ2 int) {
	t.Helper()
	ctx := context.Background()
	b, err := bank.Sample()
	if err != nil {
		t.Fatal(err)
	}
	var p exam.Paper
	for i := range 4 {
		p.Items = append(p.Items, exam.Item{QuestionID: b.Questions[i].ID, At: i, Order: "0123"[:len(b.Questions[i].Options)]})
	}
	paper, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	key := func(q int) string { return bank.OptionLetter(b.Questions[q].CorrectIndex()) }
	wrong := func(q int) string {
		return bank.OptionLetter((b.Questions[q].CorrectIndex() + 1) % len(b.Questions[q].Options))
	}
	start := time.Date(2024, 8, 20, 8, 0, 0, 0, time.UTC)
	for i := range 60 {
		a := exam.Answers{0: key(0), 1: key(1), 2: wrong(2)}
		switch {
		case i >= 40:
			a = exam.Answers{0: wrong(0), 1: wrong(1), 2: key(2)}
		case i%2 == 0:
			a[3] = key(3)
		default:
			a[3] = wrong(3)
		}
		res, err := exam.Score(p, b, a)
		if err != nil {
			t.Fatal(err)
		}
		var responses []byte
		if i%2 == 1 {
			responses = itemstats.Responses(res)
		}
		js, _ := json.Marshal(a)
		var id int64
		if err := pool.QueryRow(ctx, `INSERT INTO contestant (contest_id, national_id, phone, full_name, birth_date, gender,
			participant_group, locality_code, password_hash) VALUES ($1, $2, $3, 'Người Thử', '1990-01-01', 'male', 'resident', '22915', 'x')
			RETURNING id`, reporttest.ContestID, fmt.Sprintf("0601900100%02d", i), fmt.Sprintf("09090100%02d", i)).Scan(&id); err != nil {
			t.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO attempt (round, contestant_id, attempt_no, status, started_at, deadline, submitted_at,
			bank_name, bank_version, paper, answers, total, correct, prediction, responses)
			VALUES ($1, $2, 1, 'submitted', $3, $4, $5, 'mau', 1, $6, $7, 4, $8, 1, $9)`, reporttest.Round, id, start,
			start.Add(30*time.Minute), start.Add(10*time.Minute), paper, js, res.Correct, responses); err != nil {
			t.Fatal(err)
		}
	}
	return b, (b.Questions[2].CorrectIndex() + 1) % len(b.Questions[2].Options)
}

// The item analysis sheet shows, per question, the numbers itemstats computes from the
// stored attempts, dubious questions first with the reason in words.
func TestItemsSheet(t *testing.T) {
	pool := pgtest.Migrated(t)
	reporttest.Load(t, pool)
	b, wrong := answerRound(t, pool)
	ctx := context.Background()
	rep, err := report.Build(ctx, pool, reporttest.Round, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tab := rep.Table(report.SheetItems)
	if tab == nil || tab.File != "phan-tich-cau-hoi" {
		t.Fatalf("no item analysis sheet: %+v", tab)
	}
	rows := texts(t, tab)
	tally, err := store.ItemTally(ctx, pool, reporttest.Round, b)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tally.Analyze()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || len(want.Items) != 4 || want.Attempts != 60 {
		t.Fatalf("%d lines, %d questions from %d attempts; want 4 from the 60 with answers", len(rows), len(want.Items), want.Attempts)
	}
	col := func(row []string, title string) string {
		i := column(tab, title)
		if i < 0 {
			t.Fatalf("no column %q", title)
		}
		return row[i]
	}
	for i, it := range want.Items {
		row := rows[i]
		r := "không xác định"
		if it.HasDiscrimination {
			r = strconv.FormatFloat(it.Discrimination, 'f', 2, 64)
		}
		for title, v := range map[string]string{
			"Mã câu hỏi": it.Question.ID, "Câu hỏi": it.Question.Text, "Đáp án": bank.OptionLetter(it.Key),
			"Số lượt được hỏi": strconv.FormatInt(it.Drawn, 10), "Số lượt trả lời đúng": strconv.FormatInt(it.Correct, 10),
			"Độ dễ (%)": strconv.FormatFloat(100*it.Facility, 'f', 1, 64), "Độ phân biệt": r,
			"Chọn A": strconv.FormatInt(it.Chosen[0], 10), "Chọn D": strconv.FormatInt(it.Chosen[3], 10), "Chọn E": "",
			"Bỏ trống": strconv.FormatInt(it.Blank, 10), "Chủ đề": "Những vấn đề chung, tổng quan về chuyển đổi số",
		} {
			if got := col(row, title); got != v {
				t.Errorf("line %d (%s), %s = %q, want %q", i+1, it.Question.ID, title, got, v)
			}
		}
	}
	// q2, keyed wrong as the data see it, comes first, with both reasons. By hand: right x is
	// 0 for the 40 strong, 1 for the 20 weak; the rest of the score 3 (20), 2 (20), 0 (20);
	// deviations x' −⅓, ⅔ and y' 4/3, 1/3, −5/3: Σx'y' = −100/3, Σx'² = 40/3, Σy'² = 280/3,
	// r = −100/√11200 = −0.94.
	first := rows[0]
	reason := col(first, "Lý do cần xem lại")
	if col(first, "Mã câu hỏi") != b.Questions[2].ID || col(first, "Đáng ngờ") != "Có" ||
		!strings.Contains(reason, fmt.Sprintf("Phương án %s được chọn nhiều hơn đáp án %s (40 so với 20 lượt)",
			bank.OptionLetter(wrong), bank.OptionLetter(b.Questions[2].CorrectIndex()))) ||
		!strings.Contains(reason, "Độ phân biệt âm (-0,94)") {
		t.Errorf("first line %q", first)
	}
	if col(rows[1], "Đáng ngờ") != "" || col(rows[1], "Lý do cần xem lại") != "" || col(rows[3], "Bỏ trống") != "20" {
		t.Errorf("sound questions: %q", rows[1:])
	}

	// While the key is in use elsewhere, the sheet says so and shows nothing else.
	hidden, err := report.Build(ctx, pool, reporttest.Round, report.Options{HideAnswerKey: true})
	if err != nil {
		t.Fatal(err)
	}
	rows = texts(t, hidden.Table(report.SheetItems))
	if len(rows) != 1 || rows[0][1] != report.ItemsWithheld || strings.Join(rows[0], "") != report.ItemsWithheld {
		t.Errorf("withheld sheet %q", rows)
	}

	// Once the round's key of q2 is corrected to the option the strong chose (the attempts
	// scored again), the sheet judges q2 by it and says the key was corrected.
	svc := attempt.New(store.NewAttempts(pool), func(context.Context, string, int) (*bank.Bank, error) { return b, nil })
	if err := store.InTx(ctx, pool, func(tx store.Querier) error {
		_, err := svc.ApplyCorrection(ctx, store.NewRoundScores(tx), attempt.KeyCorrection{Round: reporttest.Round, BankName: b.Name,
			BankVersion: b.Version, QuestionID: b.Questions[2].ID, Key: exam.Key{Option: wrong}, Reason: "Đáp án nhập nhầm", By: "dieu.hanh"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	corrected, err := report.Build(ctx, pool, reporttest.Round, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tab = corrected.Table(report.SheetItems)
	rows = texts(t, tab)
	var q2 []string
	for _, row := range rows {
		if col(row, "Mã câu hỏi") == b.Questions[2].ID {
			q2 = row
		}
	}
	if q2 == nil || col(q2, "Đáng ngờ") != "" || col(q2, "Lý do cần xem lại") != "" || col(q2, "Đáp án") != bank.OptionLetter(wrong) ||
		col(q2, "Số lượt trả lời đúng") != "40" || col(q2, "Độ dễ (%)") != "66.7" ||
		!strings.Contains(col(q2, "Điều chỉnh đáp án"), "đáp án trong ngân hàng: "+bank.OptionLetter(b.Questions[2].CorrectIndex())) {
		t.Errorf("q2 after its key was corrected: %q", q2)
	}
	for _, row := range rows {
		if row[0] != "" {
			t.Errorf("a question is still dubious after the correction: %q", row)
		}
		if col(row, "Mã câu hỏi") != b.Questions[2].ID && col(row, "Điều chỉnh đáp án") != "" {
			t.Errorf("a question not corrected says it is: %q", row)
		}
	}
}
