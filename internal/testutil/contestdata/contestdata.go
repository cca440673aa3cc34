// Package contestdata fills a test database with a contest at the scale the platform is
// built for (by default 500,000 contestants and 1,000,000 attempts in one round), for
// benchmarks of what organizers read: the console's statistics, the round page and the
// report. The data is deterministic (a seeded generator), shaped like a real round and
// loaded with COPY:
//
//   - the sample bank, the Bình Thuận localities and units (the same lists `make demo` uses);
//   - people in the four participant groups, registered in communes with a skewed
//     distribution (a city's wards far ahead of mountain communes), most officials and many
//     pupils under a unit of the list, the others with free text among tens of thousands
//     of spellings, residents mostly with none;
//   - one to three attempts each, one after the other as the start rule requires (attempt
//     1 finished before attempt 2 starts), over two weeks with evenings busier than
//     mornings, real drawn papers, saved answers and the responses a submit stores for the
//     item analysis (rows of the real size), scores skewed
//     towards 15/15 as in the ranking benchmark, a few attempts closed at their deadline
//     and the last ones still in progress; ids follow start times as they do in production.
//
// [Clone] builds the data once per server in a template database and copies it for each
// benchmark (CREATE DATABASE … TEMPLATE, a file copy: seconds instead of a minute).
package contestdata

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/locality"
	"github.com/dxcontest/contest-platform/internal/store"
	"github.com/dxcontest/contest-platform/internal/unit"
)

// Options say what to generate. The zero value of a field takes the default below.
type Options struct {
	Contest  string // contest id; default "cds-binhthuan-2024" (the web app tests' contest)
	Round    string // round key; default "contest/dot-1"
	People   int    // default 500,000
	Attempts int    // between People and 3 × People; default 2 × People
	// InProgress is how many people's last attempt is still running at the end; default
	// People / 250 (0.4 %: a busy evening's few thousand).
	InProgress int
	// Opens is when the round opened; default 2024-08-17 00:00 in Vietnam. Days is how
	// long it has been open: the data ends at Opens + Days (the "now" of the data).
	Opens time.Time
	Days  int // default 14
	Seed  uint64
	// Variant names what Prepare adds (e.g. "ranked"); Prepare runs on the loaded data
	// before the template is sealed, so a ranking, say, is computed once too.
	Variant string
	Prepare func(ctx context.Context, pool *pgxpool.Pool) error
}

// Defaults for a million attempts.
const (
	DefaultContest = "cds-binhthuan-2024"
	DefaultRound   = "contest/dot-1"
	DefaultPeople  = 500_000
)

func (o Options) withDefaults() Options {
	if o.Contest == "" {
		o.Contest = DefaultContest
	}
	if o.Round == "" {
		o.Round = DefaultRound
	}
	if o.People == 0 {
		o.People = DefaultPeople
	}
	if o.Attempts == 0 {
		o.Attempts = 2 * o.People
	}
	if o.InProgress == 0 {
		o.InProgress = max(1, o.People/250)
	}
	if o.Opens.IsZero() {
		o.Opens = time.Date(2024, 8, 16, 17, 0, 0, 0, time.UTC) // 17/8 00:00 +07:00
	}
	if o.Days == 0 {
		o.Days = 14
	}
	return o
}

// End is the instant the data ends at: no attempt starts after it, and the attempts in
// progress started in the half hour before it.
func (o Options) End() time.Time {
	o = o.withDefaults()
	return o.Opens.Add(time.Duration(o.Days) * 24 * time.Hour)
}

// Summary is what was loaded, for checks against what the code under test counts.
type Summary struct {
	People       int   // contestants registered
	Participants int64 // people with at least one finished attempt
	Attempts     int64 // finished attempts
	InProgress   int64
	FirstID      int64 // the first contestant id
}

// generatorVersion names this generator's output: a change to what Load writes must change
// it, so that templates built by an older version are not reused.
const generatorVersion = "2"

// Load writes the contest into a migrated, empty database.
func Load(ctx context.Context, pool *pgxpool.Pool, opts Options) (Summary, error) {
	o := opts.withDefaults()
	if o.Attempts < o.People || o.Attempts > 3*o.People || o.InProgress > o.People {
		return Summary{}, fmt.Errorf("contestdata: %d attempts and %d in progress for %d people", o.Attempts, o.InProgress, o.People)
	}
	g := &gen{o: o, rnd: rand.New(rand.NewPCG(o.Seed, 0x636f6e74657374))}
	if err := g.lists(ctx, pool); err != nil {
		return Summary{}, err
	}
	sum, err := g.people(ctx, pool)
	if err != nil {
		return Summary{}, err
	}
	if err := g.attempts(ctx, pool, &sum); err != nil {
		return Summary{}, err
	}
	// Autovacuum would get there during a real round; the planner needs the statistics.
	for _, s := range []string{`VACUUM ANALYZE contestant`, `VACUUM ANALYZE attempt`} {
		if _, err := pool.Exec(ctx, s); err != nil {
			return Summary{}, fmt.Errorf("contestdata: %s: %w", s, err)
		}
	}
	return sum, nil
}

// gen holds the generator's state between steps.
type gen struct {
	o       Options
	rnd     *rand.Rand
	bank    *bank.Bank
	places  []string // commune codes, most popular first
	dists   []string // district codes
	units   []unit.Unit
	schools []unit.Unit
	free    []string // free-text organizations, most common first
	papers  [][]byte
	// responses[p][n] is what a finished attempt on paper p with its first n items
	// answered stores for the item analysis (attempt.responses), as a submit does.
	responses [][16][]byte
	firstID   int64
}

func (g *gen) lists(ctx context.Context, pool *pgxpool.Pool) error {
	var err error
	if g.bank, err = bank.Sample(); err != nil {
		return err
	}
	if _, err := store.SaveBank(ctx, pool, g.bank); err != nil {
		return fmt.Errorf("contestdata: bank: %w", err)
	}
	locs, err := locality.Sample()
	if err != nil {
		return err
	}
	if err := store.ReplaceLocalities(ctx, pool, g.o.Contest, locs); err != nil {
		return fmt.Errorf("contestdata: localities: %w", err)
	}
	for _, l := range locs {
		if l.ParentCode == "" {
			g.dists = append(g.dists, l.Code)
		} else {
			g.places = append(g.places, l.Code)
		}
	}
	g.rnd.Shuffle(len(g.places), func(i, j int) { g.places[i], g.places[j] = g.places[j], g.places[i] })
	if g.units, err = unit.Sample(); err != nil {
		return err
	}
	if err := store.ReplaceUnits(ctx, pool, g.o.Contest, g.units); err != nil {
		return fmt.Errorf("contestdata: units: %w", err)
	}
	for _, u := range g.units {
		if u.Type == unit.TypeSchool {
			g.schools = append(g.schools, u)
		}
	}
	g.free = freeTexts(g.units, 40_000)
	var quotas []exam.Quota
	for _, t := range bank.PlanTopics() {
		quotas = append(quotas, exam.Quota{Topic: t.Code, Questions: 3})
	}
	drawRnd := rand.New(rand.NewPCG(g.o.Seed, 1))
	for range 256 {
		p, err := exam.Draw(g.bank, quotas, drawRnd)
		if err != nil {
			return fmt.Errorf("contestdata: draw: %w", err)
		}
		js, err := json.Marshal(p)
		if err != nil {
			return err
		}
		g.papers = append(g.papers, js)
		var resp [16][]byte
		for n := range resp {
			res, err := exam.Score(p, g.bank, savedAnswers(n))
			if err != nil {
				return fmt.Errorf("contestdata: score: %w", err)
			}
			resp[n] = itemstats.Responses(res)
		}
		g.responses = append(g.responses, resp)
	}
	return nil
}

// freeTexts makes n distinct organizations as people type them when their unit is not
// in the list (or they did not look): enterprises, schools, cooperatives, and the list's
// own units spelled otherwise (lower case, without diacritics, abbreviated).
func freeTexts(units []unit.Unit, n int) []string {
	kinds := []string{"Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã", "Trường Tiểu học", "Trường THCS", "Trường THPT",
		"Trạm Y tế xã", "Chi nhánh Ngân hàng", "Doanh nghiệp tư nhân", "Hội Nông dân xã", "Đoàn Thanh niên phường"}
	names := []string{"Phan Thiết", "Mũi Né", "Hàm Thuận", "Tân Phát", "Bình Minh", "Thành Công", "Hòa Bình", "Tiến Lợi",
		"Đức Linh", "Tuy Phong", "Phú Quý", "La Gi", "Bắc Bình", "Hàm Tân", "Tánh Linh", "Sông Mao", "Đại Phát", "Minh Long"}
	out := make([]string, 0, n)
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] && len(out) < n {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, u := range units {
		add(strings.ToLower(u.Name))
		add(strings.ReplaceAll(u.Name, "Ủy ban nhân dân", "UBND"))
		add(u.Name + " tỉnh Bình Thuận")
	}
	for i := 0; len(out) < n; i++ {
		add(fmt.Sprintf("%s %s %d", kinds[i%len(kinds)], names[(i/len(kinds))%len(names)], i/(len(kinds)*len(names))+1))
	}
	return out
}

// zipf picks an index in [0, n) with weight 1/(i+1)^s: a few values take most people.
type zipf struct{ cum []float64 }

func newZipf(n int, s float64) zipf {
	z := zipf{cum: make([]float64, n)}
	total := 0.0
	for i := range n {
		total += 1 / math.Pow(float64(i+1), s)
		z.cum[i] = total
	}
	for i := range z.cum {
		z.cum[i] /= total
	}
	return z
}

func (z zipf) pick(r *rand.Rand) int {
	i, _ := slices.BinarySearch(z.cum, r.Float64())
	return min(i, len(z.cum)-1)
}

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"}
	middleNames = []string{"Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Quốc", "Bảo"}
	givenNames  = []string{"An", "Bình", "Cường", "Dung", "Em", "Phương", "Giang", "Hoa", "Khoa", "Lan", "Minh", "Nam", "Oanh", "Phúc", "Quân", "Sơn", "Tâm", "Uyên", "Việt", "Xuân", "Yến"}
	// argon2id hashes are this long; the row size matters to what a scan reads.
	passwordHash = "$argon2id$v=19$m=19456,t=2,p=1$" + strings.Repeat("c", 22) + "$" + strings.Repeat("h", 43)
)

func (g *gen) people(ctx context.Context, pool *pgxpool.Pool) (Summary, error) {
	o, r := g.o, g.rnd
	placeZ, unitZ, schoolZ, freeZ := newZipf(len(g.places), 0.9), newZipf(len(g.units), 0.8), newZipf(len(g.schools), 0.7), newZipf(len(g.free), 1.0)
	birthBase := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "email", "participant_group",
			"organization", "unit_code", "locality_code", "password_hash", "created_at"},
		pgx.CopyFromSlice(o.People, func(i int) ([]any, error) {
			group := "official"
			switch x := r.IntN(100); {
			case x >= 95:
				group = "armed_forces"
			case x >= 75:
				group = "resident"
			case x >= 45:
				group = "student"
			}
			place := g.places[placeZ.pick(r)]
			if r.IntN(100) < 3 {
				place = g.dists[r.IntN(len(g.dists))] // the district only
			}
			var unitCode *string
			org := ""
			chosen := func(u unit.Unit) { unitCode, org = &u.Code, u.Name }
			switch x := r.IntN(100); group {
			case "official", "armed_forces":
				if x < 75 {
					chosen(g.units[unitZ.pick(r)])
				} else {
					org = g.free[freeZ.pick(r)]
				}
			case "student":
				if x < 50 && len(g.schools) > 0 {
					chosen(g.schools[schoolZ.pick(r)])
				} else {
					org = g.free[freeZ.pick(r)]
				}
			default:
				if x < 10 {
					org = g.free[freeZ.pick(r)]
				}
			}
			var email *string
			if r.IntN(100) < 30 {
				e := "nguoi" + strconv.Itoa(i) + "@example.vn"
				email = &e
			}
			gender := "male"
			if r.IntN(2) == 0 {
				gender = "female"
			}
			name := familyNames[r.IntN(len(familyNames))] + " " + middleNames[r.IntN(len(middleNames))] + " " + givenNames[r.IntN(len(givenNames))]
			return []any{o.Contest, fmt.Sprintf("0600%08d", i), fmt.Sprintf("09%08d", i), name,
				birthBase.AddDate(0, 0, r.IntN(50*365)), gender, email, group, org, unitCode, place, passwordHash,
				o.Opens.Add(-time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))}, nil
		}))
	if err != nil {
		return Summary{}, fmt.Errorf("contestdata: contestants: %w", err)
	}
	if err := pool.QueryRow(ctx, `SELECT min(id) FROM contestant WHERE contest_id = $1`, o.Contest).Scan(&g.firstID); err != nil {
		return Summary{}, err
	}
	return Summary{People: o.People, FirstID: g.firstID}, nil
}

// row is one attempt before it is written.
type row struct {
	person              int32
	no                  int16
	status              uint8 // 0 submitted, 1 expired, 2 in progress
	correct             int16
	start, used         time.Duration // from Opens
	prediction, answers int32         // prediction, answered items
	paper               uint8
}

var statuses = []string{"submitted", "expired", "in_progress"}

const timeLimit = 30 * time.Minute

func (g *gen) attempts(ctx context.Context, pool *pgxpool.Pool, sum *Summary) error {
	o, r := g.o, g.rnd
	span := time.Duration(o.Days) * 24 * time.Hour
	counts := make([]int8, o.People)
	total := 0
	for i := range counts {
		switch x := r.IntN(10); {
		case x < 3:
			counts[i] = 1
		case x < 7:
			counts[i] = 2
		default:
			counts[i] = 3
		}
		total += int(counts[i])
	}
	for total != o.Attempts { // adjust people at random until the total is exact
		i := r.IntN(o.People)
		if total < o.Attempts && counts[i] < 3 {
			counts[i]++
			total++
		} else if total > o.Attempts && counts[i] > 1 {
			counts[i]--
			total--
		}
	}
	running := make(map[int]bool, o.InProgress)
	for len(running) < o.InProgress {
		running[r.IntN(o.People)] = true
	}
	rows := make([]row, 0, o.Attempts)
	for p := range o.People {
		// Evenings (19–22 h in Vietnam) are three times as busy as other hours.
		first := time.Duration(r.Int64N(int64(span - timeLimit)))
		if h := (o.Opens.Add(first).UTC().Hour() + 7) % 24; h < 19 || h > 22 {
			if r.IntN(3) > 0 {
				first = time.Duration(r.Int64N(int64(span - timeLimit)))
			}
		}
		at, prevEnd := first, time.Duration(0)
		for k := range int(counts[p]) {
			last := k == int(counts[p])-1
			a := row{person: int32(p), no: int16(k + 1), start: at, paper: uint8(r.IntN(len(g.papers))),
				prediction: int32(r.IntN(200_000)), answers: 15}
			switch {
			case last && running[p]:
				a.status, a.answers = 2, int32(r.IntN(15))
				a.start = max(span-time.Duration(r.Int64N(int64(timeLimit))), prevEnd+time.Second)
			case r.IntN(100) < 4:
				a.status, a.used, a.answers = 1, timeLimit, int32(r.IntN(15))
			default:
				a.used = time.Duration(60+r.IntN(1440)) * time.Second
			}
			if a.status != 2 {
				a.correct = int16(15 - min(15, r.IntN(8)*r.IntN(3)))
				if a.status == 1 {
					a.correct = min(a.correct, int16(a.answers))
				}
				sum.Attempts++
				if k == 0 {
					sum.Participants++
				}
			} else {
				sum.InProgress++
			}
			rows = append(rows, a)
			// The next attempt starts after this one ended: minutes to days later, before
			// the end (the running ones were placed at the end already).
			end := a.start + a.used
			prevEnd = end
			gap := time.Duration(r.ExpFloat64() * float64(24*time.Hour))
			at = min(end+time.Minute+gap, span-timeLimit-time.Duration(int(counts[p])-k)*time.Minute)
			if at <= end {
				at = end + time.Second
			}
		}
	}
	// Ids follow start times, as they do when people start attempts.
	slices.SortFunc(rows, func(a, b row) int { return cmp.Compare(a.start, b.start) })
	answerJSON := make([][]byte, 16)
	for n := range answerJSON {
		answerJSON[n], _ = json.Marshal(savedAnswers(n))
	}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"attempt"},
		[]string{"round", "contestant_id", "attempt_no", "status", "started_at", "deadline", "submitted_at", "bank_name",
			"bank_version", "paper", "answers", "prediction", "total", "correct", "responses"},
		pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			a := rows[i]
			start := o.Opens.Add(a.start)
			var submitted *time.Time
			var correct *int16
			var responses []byte
			prediction := &a.prediction
			if a.status != 2 {
				s := start.Add(a.used)
				submitted, correct, responses = &s, &a.correct, g.responses[a.paper][a.answers]
				if a.status == 1 && a.prediction%2 == 0 {
					prediction = nil // closed at the deadline before the prediction was typed
				}
			}
			return []any{o.Round, g.firstID + int64(a.person), a.no, statuses[a.status], start, start.Add(timeLimit), submitted,
				g.bank.Name, int32(g.bank.Version), g.papers[a.paper], answerJSON[a.answers], prediction, int16(15), correct, responses}, nil
		}))
	if err != nil {
		return fmt.Errorf("contestdata: attempts: %w", err)
	}
	return nil
}

// savedAnswers are the first n items answered (A, B, C, D, A, …), as stored in
// attempt.answers.
func savedAnswers(n int) exam.Answers {
	a := make(exam.Answers, n)
	for q := range n {
		a[q] = string(rune('A' + q%4))
	}
	return a
}

// key names the data of opts as generated by this version on the current schema.
func key(opts Options) (string, error) {
	o := opts.withDefaults()
	ms, err := store.Migrations()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%s|%d|%d|%d|%s|%d|%d|%s", generatorVersion, o.Contest, o.Round, o.People, o.Attempts, o.InProgress,
		o.Opens.UTC().Format(time.RFC3339), o.Days, o.Seed, o.Variant)
	for _, m := range ms {
		fmt.Fprintf(h, "|%d:%s", m.Version, m.Checksum)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
