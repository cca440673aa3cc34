package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dxcontest/contest-platform/internal/bank"
	"github.com/dxcontest/contest-platform/internal/exam"
	"github.com/dxcontest/contest-platform/internal/itemstats"
	"github.com/dxcontest/contest-platform/internal/store"
)

// itemBank is a bank of the plan's shape: 5 topics of perTopic questions with 4 options.
func itemBank(perTopic int) *bank.Bank {
	b := &bank.Bank{Name: "phan-tich", Version: 1, Topics: bank.PlanTopics()}
	rnd := rand.New(rand.NewPCG(7, 7))
	for _, t := range b.Topics {
		for i := range perTopic {
			q := bank.Question{ID: fmt.Sprintf("%s-%03d", t.Code, i+1), Topic: t.Code,
				Text: fmt.Sprintf("Câu hỏi %d của chủ đề %s về chuyển đổi số?", i+1, t.Title)}
			key := rnd.IntN(4)
			for o := range 4 {
				q.Options = append(q.Options, bank.Option{Text: fmt.Sprintf("Phương án %d", o+1), Correct: o == key})
			}
			b.Questions = append(b.Questions, q)
		}
	}
	return b
}

// seededAttempt is one generated finished attempt, for tests to compute their own figures.
type seededAttempt struct {
	ID      int64 // when read back
	Legacy  bool  // stored without responses (read back)
	Status  string
	Paper   exam.Paper
	Answers exam.Answers
	Correct int
}

// itemSeed describes the attempts seedItemAttempts makes.
type itemSeed struct {
	Round   string
	People  int
	PerHead int // attempts per person
	Bank    *bank.Bank
	Seed    uint64
	// WrongKey lists questions (bank indices) whose bank key is wrong: people who know the
	// answer choose another option.
	WrongKey map[int]bool
	// Legacy, when set, says which attempts (by their index) are stored without responses,
	// as attempts finished before migration 0013.
	Legacy func(i int) bool
	// Observe, when set, sees every attempt as stored.
	Observe func(seededAttempt)
}

// seedItemAttempts loads people and finished attempts drawn from s.Bank with COPY,
// deterministically. People have an ability, questions a difficulty and a slope: someone
// knows the answer with a logistic chance, otherwise guesses (or, rarely, leaves it blank).
// One attempt in 50 is closed at its deadline, one in 200 of those without any answer.
func seedItemAttempts(tb testing.TB, pool *pgxpool.Pool, s itemSeed) {
	tb.Helper()
	ctx := context.Background()
	if _, err := store.SaveBank(ctx, pool, s.Bank); err != nil {
		tb.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO locality (contest_id, code, name) VALUES ('cds', '593', 'Thành phố Phan Thiết') ON CONFLICT DO NOTHING`); err != nil {
		tb.Fatal(err)
	}
	var firstID int64
	if err := pool.QueryRow(ctx, `SELECT coalesce(max(id), 0) + 1 FROM contestant`).Scan(&firstID); err != nil {
		tb.Fatal(err)
	}
	birth := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	prefix := s.Seed % 1000
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"contestant"},
		[]string{"contest_id", "national_id", "phone", "full_name", "birth_date", "gender", "participant_group", "locality_code", "password_hash"},
		pgx.CopyFromSlice(s.People, func(i int) ([]any, error) {
			return []any{"cds", fmt.Sprintf("%03d%09d", prefix, i), fmt.Sprintf("0%03d%06d", prefix, i), "Nguyễn Văn An", birth, "male", "official", "593", "x"}, nil
		})); err != nil {
		tb.Fatal(err)
	}
	if err := pool.QueryRow(ctx, `SELECT min(id) FROM contestant WHERE national_id LIKE $1`, fmt.Sprintf("%03d%%", prefix)).Scan(&firstID); err != nil {
		tb.Fatal(err)
	}
	b := s.Bank
	rnd := rand.New(rand.NewPCG(s.Seed, 99))
	difficulty, slope, truth := make([]float64, len(b.Questions)), make([]float64, len(b.Questions)), make([]int, len(b.Questions))
	for i, q := range b.Questions {
		difficulty[i], slope[i], truth[i] = rnd.NormFloat64()-1, 0.5+1.5*rnd.Float64(), q.CorrectIndex()
		if s.WrongKey[i] {
			truth[i] = (truth[i] + 1) % len(q.Options)
		}
	}
	var quotas []exam.Quota
	for _, t := range b.Topics {
		quotas = append(quotas, exam.Quota{Topic: t.Code, Questions: 3})
	}
	ability := 0.0
	opens := time.Date(2024, 8, 17, 0, 0, 0, 0, time.UTC)
	total := s.People * s.PerHead
	if _, err := pool.CopyFrom(ctx, pgx.Identifier{"attempt"},
		[]string{"round", "contestant_id", "attempt_no", "status", "started_at", "deadline", "submitted_at", "bank_name", "bank_version", "paper", "answers", "total", "correct", "prediction", "responses"},
		pgx.CopyFromSlice(total, func(i int) ([]any, error) {
			person, no := i/s.PerHead, int16(i%s.PerHead+1)
			if no == 1 {
				ability = rnd.NormFloat64()
			}
			p, err := exam.Draw(b, quotas, rnd)
			if err != nil {
				return nil, err
			}
			status := "submitted"
			if rnd.IntN(50) == 0 {
				status = "expired"
			}
			empty := status == "expired" && rnd.IntN(200) == 0
			answers := exam.Answers{}
			correct := 0
			for k, it := range p.Items {
				if empty {
					break
				}
				q := it.At
				chosen := -1
				switch know := 1 / (1 + math.Exp(-slope[q]*(ability-difficulty[q]))); {
				case rnd.Float64() < know:
					chosen = truth[q]
				case rnd.IntN(30) == 0:
				default:
					chosen = rnd.IntN(len(it.Order))
				}
				if chosen < 0 {
					continue
				}
				for pos := 0; pos < len(it.Order); pos++ {
					if int(it.Order[pos]-'0') == chosen {
						answers[k] = string(rune('A' + pos))
					}
				}
				if chosen == b.Questions[q].CorrectIndex() {
					correct++
				}
			}
			paper, err := json.Marshal(p)
			if err != nil {
				return nil, err
			}
			js, err := json.Marshal(answers)
			if err != nil {
				return nil, err
			}
			var responses []byte
			if s.Legacy == nil || !s.Legacy(i) {
				res, err := exam.Score(p, b, answers)
				if err != nil {
					return nil, err
				}
				responses = itemstats.Responses(res)
			}
			if s.Observe != nil {
				s.Observe(seededAttempt{Status: status, Paper: p, Answers: answers, Correct: correct})
			}
			start := opens.Add(time.Duration(rnd.Int64N(int64(14 * 24 * time.Hour))))
			return []any{s.Round, firstID + int64(person), no, status, start, start.Add(30 * time.Minute), start.Add(20 * time.Minute),
				b.Name, int32(b.Version), paper, js, int16(p.Len()), int16(correct), int64(rnd.IntN(200_000)), responses}, nil
		})); err != nil {
		tb.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		tb.Fatal(err)
	}
}
