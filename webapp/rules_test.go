package webapp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	contestv1alpha1 "github.com/dxcontest/contest-platform/api/v1alpha1"
	"github.com/dxcontest/contest-platform/internal/ranking"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// rulesRounds gives the env's rounds what the rules page reads: Đợt 0 the plan's times
// (written in UTC, as the API server stores them), prize conditions and exclusions by unit
// code and by name; Đợt 2 another tie-break order and no conditions.
func rulesRounds(t *testing.T, e *env) {
	t.Helper()
	if err := store.ReplaceUnits(context.Background(), e.pool, testContest, []unit.Unit{
		{Code: "STTTT", Name: "Sở Thông tin và Truyền thông", Type: unit.TypeAgency},
	}); err != nil {
		t.Fatal(err)
	}
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) {
		r.Spec.OpensAt = metav1.NewTime(time.Date(2024, 8, 16, 17, 0, 0, 0, time.UTC))
		r.Spec.ClosesAt = metav1.NewTime(time.Date(2024, 8, 31, 17, 0, 0, 0, time.UTC))
		r.Spec.Prizes = []contestv1alpha1.Prize{{Name: "Giải Nhất", Count: 1, MinCorrect: 13, Reward: "Giấy khen và 2.000.000 đồng"},
			{Name: "Giải Nhì", Count: 2, MinCorrect: 12}, {Name: "Giải Ba", Count: 3, MinCorrect: 10}, {Name: "Giải Khuyến khích", Count: 5, MinCorrect: 10}}
		r.Spec.Ranking = contestv1alpha1.RankingRules{IneligibleUnits: []string{"STTTT"}, IneligibleOrganizations: []string{"Sở TT&TT Bình Thuận"}}
	})
	e.rounds.update("dot-2", func(r *contestv1alpha1.ContestRound) {
		r.Spec.Ranking.TieBreak = []contestv1alpha1.TieBreakKey{contestv1alpha1.TieBreakTimeUsed, contestv1alpha1.TieBreakCorrect}
		r.Spec.Exam.TimeLimit = &metav1.Duration{Duration: 45 * time.Minute}
	})
}

// section is the part of the rules page about one round.
func section(t *testing.T, body, round string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<section class="round-rules" aria-labelledby="r-` + round + `">(.*?)</section>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the rules page has no section for %s:\n%s", round, body)
	}
	return m[1]
}

// inOrder fails unless each text appears in s after the one before it.
func inOrder(t *testing.T, what, s string, texts ...string) {
	t.Helper()
	at := 0
	for _, want := range texts {
		i := strings.Index(s[at:], want)
		if i < 0 {
			t.Errorf("%s: %q missing, or not after %q", what, want, s[:at])
			return
		}
		at += i + len(want)
	}
}

func TestRulesPage(t *testing.T) {
	e := newEnv(t)
	rulesRounds(t, e)
	b := e.browser()

	home := b.get("/")
	if !strings.Contains(home.raw, `<a href="/rules">Xem thể lệ đầy đủ</a>`) {
		t.Errorf("the home page does not link to the rules")
	}
	r := b.get("/rules")
	if r.status != http.StatusOK {
		t.Fatalf("GET /rules: %d", r.status)
	}
	if tags := shareTags(r.raw); !strings.HasPrefix(tags["description"], "Thể lệ Cuộc thi trực tuyến") ||
		tags["og:description"] != tags["description"] || !strings.HasSuffix(tags["og:url"], "/rules") || tags["og:image"] == "" {
		t.Errorf("the page's link preview: %v", tags)
	}
	for _, want := range []string{"Thể lệ cuộc thi", "Cán bộ, công chức, viên chức, người lao động", "Lực lượng vũ trang", "Học sinh, sinh viên", "Người dân",
		"mỗi số CCCD và mỗi số điện thoại chỉ đăng ký được một lần", "Giờ hiển thị theo giờ Việt Nam (GMT+7)."} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the rules page lacks %q", want)
		}
	}

	dot0 := section(t, r.body, "dot-0")
	inOrder(t, "Đợt 0", dot0,
		// Vietnam time, whatever zone the round was written in.
		"Từ 00:00 ngày 17/08/2024 đến trước 00:00 ngày 01/09/2024 (giờ Việt Nam)",
		"Người không được xét giải", "Sở Thông tin và Truyền thông", "Sở TT&TT Bình Thuận",
		"Mỗi lượt thi gồm 15 câu hỏi trắc nghiệm", "Những vấn đề chung, tổng quan về chuyển đổi số: 3 câu",
		"Kiến thức, kỹ năng về an toàn thông tin trên môi trường số: 3 câu",
		"“Dự đoán có bao nhiêu người trả lời đúng cả 15/15 câu hỏi?”",
		"tối đa 3 lượt trong đợt; mỗi lượt làm trong 30 phút",
		"Đáp án đúng được hiển thị cho người dự thi sau khi đợt thi kết thúc.",
		"lượt thi có nhiều câu trả lời đúng nhất; nếu bằng nhau, lượt nộp sớm nhất",
		// The plan's tie-break order, in words.
		"Số câu trả lời đúng: nhiều hơn xếp trên.", "Độ lệch giữa câu trả lời dự đoán", "Thời gian làm bài, từ lúc bắt đầu đến lúc nộp",
		"Thời điểm nộp bài: sớm hơn xếp trên.",
		"Hệ thống không bốc thăm.",
		// Prizes with their conditions, in order.
		"1 Giải Nhất", "Giấy khen và 2.000.000 đồng", "chỉ trao cho người trả lời đúng từ 13/15 câu trở lên",
		"2 Giải Nhì", "từ 12/15 câu", "3 Giải Ba", "từ 10/15 câu", "5 Giải Khuyến khích", "từ 10/15 câu",
		"Người chưa đạt điều kiện của một giải vẫn giữ thứ hạng", "vẫn được xét các giải thấp hơn",
		"Hệ thống xếp hạng tự động ngay sau khi đợt thi kết thúc (từ 00:00 ngày 01/09/2024)")
	if strings.Contains(dot0, "STTTT") {
		t.Errorf("an excluded unit is shown by its code rather than its name:\n%s", dot0)
	}

	dot2 := section(t, r.body, "dot-2")
	inOrder(t, "Đợt 2", dot2, "mỗi lượt làm trong 45 phút", "Thời gian làm bài, từ lúc bắt đầu", "Số câu trả lời đúng: nhiều hơn xếp trên.")
	for _, absent := range []string{"chỉ trao cho người", "Người chưa đạt điều kiện", "Người không được xét giải", "Độ lệch giữa"} {
		if strings.Contains(dot2, absent) {
			t.Errorf("Đợt 2 has neither conditions nor exclusions nor the prediction key, yet reads %q", absent)
		}
	}

	// In English, in Vietnam time too.
	if r := b.get("/lang/en?next=/rules"); r.status != http.StatusSeeOther {
		t.Fatalf("switch language: %d", r.status)
	}
	en := section(t, b.get("/rules").body, "dot-0")
	inOrder(t, "Đợt 0 in English", en, "From 00:00, 17 Aug 2024 until before 00:00, 1 Sep 2024 (Vietnam time)",
		"Correct answers: more ranks higher.", "only for people with at least 13 of 15 answers right")
}

// The public list shows the places held for a tie at a prize boundary, and the places no
// one took, without naming anyone the committee has not decided on.
func TestWinnersShowHeldAndVacantPlaces(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	status := rankedStatus(false)
	status.Winners = append(status.Winners, contestv1alpha1.Winner{Prize: "Giải Nhì", Rank: 2, Name: "Trần Văn Hai",
		MaskedNationalID: "060*******02", Correct: 15, TimeUsed: metav1.Duration{Duration: 3*time.Second + 400*time.Millisecond}})
	e.rounds.update("dot-0", func(r *contestv1alpha1.ContestRound) { r.Status = status })
	ties, err := json.Marshal([]ranking.BoundaryTie{{Rank: 3, PersonIDs: []int64{901, 902},
		Places: []ranking.Place{{Prize: "Giải Nhì", Count: 1}, {Prize: "Giải Ba", Count: 1}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.ReplaceRanking(ctx, e.pool, store.RankingRun{Round: "contest/dot-0", ComputedAt: time.Now(), TieBreak: []string{"Correct"},
		BoundaryTies: ties}, nil); err != nil {
		t.Fatal(err)
	}
	page := e.browser().get("/rounds/dot-0/winners")
	if strings.Contains(page.body, "chờ Ban Tổ chức quyết định") {
		t.Fatal("held places shown before the results are published")
	}
	if _, err := store.Publish(ctx, e.pool, "contest/dot-0", "test"); err != nil {
		t.Fatal(err)
	}
	page = e.browser().get("/rounds/dot-0/winners")
	var rows []string
	for _, m := range regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`).FindAllStringSubmatch(page.body, -1)[1:] {
		rows = append(rows, strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(strings.ReplaceAll(m[1], "</td><td", "</td>|<td"), "")))
	}
	want := []string{
		"Giải Nhất|Nguyễn Thị Minh Khai|060*******01|UBND xã Tiến Lợi|15|1|4 phút 12 giây",
		"Giải Nhì|Trần Văn Hai|060*******02||15|0|0 phút 03 giây",
		"Giải Nhì|1 suất chờ Ban Tổ chức quyết định: 2 người đồng hạng 3 bằng nhau ở mọi tiêu chí xét giải",
		"Giải Ba|1 suất chờ Ban Tổ chức quyết định: 2 người đồng hạng 3 bằng nhau ở mọi tiêu chí xét giải",
		"Giải Ba|2 suất không trao: không đủ người đạt điều kiện nhận giải",
		"Giải Khuyến khích|5 suất không trao: không đủ người đạt điều kiện nhận giải",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("winners rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(page.body, "Ban Tổ chức sẽ quyết định và thông báo theo thể lệ") {
		t.Error("the page does not explain the held places")
	}
}

// A three-second attempt reads as such on its result page and in "my attempts": the time
// used decides prizes, so it is shown to the second, never rounded to "0 phút".
func TestTimeUsedShownToTheSecond(t *testing.T) {
	e := newEnv(t)
	b := e.register(1)
	id := b.start("dot-1")
	// Started 3.7 seconds before the submit, by the database clock that measures it.
	if _, err := e.pool.Exec(context.Background(), `UPDATE attempt SET started_at = now() - interval '3.7 seconds' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if r := b.post(fmt.Sprintf("/attempts/%d/submit", id), url.Values{"prediction": {"1"}}); r.status != http.StatusSeeOther {
		t.Fatalf("submit: %d %s", r.status, alertOf(r.body))
	}
	a := e.attempt(id)
	if got := a.TimeUsed(); got < 3700*time.Millisecond || got >= 4*time.Second {
		t.Fatalf("time used %v; the test needs 3.7–4 s", got)
	}
	if r := b.get(fmt.Sprintf("/attempts/%d/result", id)); !strings.Contains(r.body, "Thời gian làm bài: 0 phút 03 giây") {
		t.Errorf("result page: %s", r.body)
	}
	if r := b.get("/me"); !strings.Contains(r.body, "<td>0 phút 03 giây</td>") {
		t.Errorf("my attempts: %s", r.body)
	}
}

// The console's round page lists the prizes with their conditions.
func TestConsoleRoundShowsPrizeConditions(t *testing.T) {
	e := newEnv(t)
	e.enableConsole()
	rulesRounds(t, e)
	page := e.organizer().get("/console/rounds/dot-0")
	inOrder(t, "console round page", page.body, "Cơ cấu giải và điều kiện nhận giải",
		"1 Giải Nhất: cần ít nhất 13/15 câu đúng", "2 Giải Nhì: cần ít nhất 12/15 câu đúng", "5 Giải Khuyến khích: cần ít nhất 10/15 câu đúng")
	if page := e.organizer().get("/console/rounds/dot-1"); !strings.Contains(page.body, "1 Giải Nhất: không yêu cầu số câu đúng tối thiểu") {
		t.Errorf("a prize without a condition: %s", page.body)
	}
}
