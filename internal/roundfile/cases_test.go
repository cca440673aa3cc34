package roundfile

import "strings"

// invalidCase is a round the API server refuses, and where and why it does.
type invalidCase struct {
	name  string
	round func() map[string]any
	// field and reason are the one problem expected: the field exactly, a part of the reason.
	field, reason string
	// loaderOnly marks cases a typed client cannot even send (another kind).
	loaderOnly bool
}

// with returns a minimal round named name changed by set(path, value).
func with(name, path string, value any) func() map[string]any {
	return func() map[string]any { return set(minimalRound(name), path, value) }
}

func invalidCases() []invalidCase {
	prizes := func(names ...string) []any {
		var list []any
		for _, n := range names {
			list = append(list, map[string]any{"name": n, "count": int64(1)})
		}
		return list
	}
	return []invalidCase{
		{name: "closes before it opens", round: with("closes-early", "spec.closesAt", "2024-08-16T23:59:59+07:00"),
			field: "spec", reason: "closesAt must be later than opensAt: a round closes after it opens"},
		{name: "closes when it opens, written in UTC", round: with("closes-at-open", "spec.closesAt", "2024-08-16T17:00:00Z"),
			field: "spec", reason: "closesAt must be later than opensAt"},
		{name: "topics add up to 14 of 15", round: with("topics-short", "spec.exam.topics", []any{
			map[string]any{"topic": "a", "questions": int64(7)}, map[string]any{"topic": "b", "questions": int64(7)},
		}), field: "spec.exam", reason: "the questions per topic must add up to totalQuestions"},
		{name: "topics add up to 15 of 16", round: with("topics-total", "spec.exam.totalQuestions", int64(16)),
			field: "spec.exam", reason: "the questions per topic must add up to totalQuestions"},
		{name: "topic listed twice", round: with("topic-twice", "spec.exam.topics", []any{
			map[string]any{"topic": "a", "questions": int64(10)}, map[string]any{"topic": "a", "questions": int64(5)},
		}), field: "spec.exam.topics", reason: "each topic may be listed only once"},
		{name: "no attempts", round: with("attempts-0", "spec.exam.maxAttempts", int64(0)),
			field: "spec.exam.maxAttempts", reason: "Invalid value: 0: spec.exam.maxAttempts in body should be greater than or equal to 1"},
		{name: "eleven attempts", round: with("attempts-11", "spec.exam.maxAttempts", int64(11)),
			field: "spec.exam.maxAttempts", reason: "should be less than or equal to 10"},
		{name: "bank version beyond int32", round: with("bank-huge", "spec.exam.bank.version", int64(1)<<31),
			field: "", reason: "Checked value must be of type integer with format int32 in spec.exam.bank.version"},
		{name: "two prizes with one name", round: with("prize-twice", "spec.prizes", prizes("Giải Nhất", "Giải Nhì", "Giải Nhất")),
			field: "spec.prizes", reason: "prize names must be unique: two prizes share a name"},
		{name: "more prize places than status.winners holds", round: with("prizes-2000", "spec.prizes", []any{
			map[string]any{"name": "Giải Nhất", "count": int64(1000)}, map[string]any{"name": "Giải Nhì", "count": int64(1000)},
		}), field: "spec.prizes", reason: "the prizes award more than 1000 places in all (the sum of their counts), more than status.winners holds: lower the counts or drop a prize"},
		{name: "tie-break key twice", round: with("tiebreak-twice", "spec.ranking.tieBreak", []any{"Correct", "TimeUsed", "Correct"}),
			field: "spec.ranking.tieBreak", reason: "tieBreak keys must be unique: a key is listed twice"},
		{name: "unknown tie-break key", round: with("tiebreak-luck", "spec.ranking.tieBreak", []any{"Correct", "Luck"}),
			field: "spec.ranking.tieBreak[1]", reason: `Unsupported value: "Luck": supported values: "Correct", "PredictionDistance", "TimeUsed", "SubmittedAt"`},
		{name: "time limit of 30 seconds", round: with("limit-30s", "spec.exam.timeLimit", "30s"),
			field: "spec.exam", reason: "timeLimit must be between 1m and 3h"},
		{name: "time limit of 4 hours", round: with("limit-4h", "spec.exam.timeLimit", "4h"),
			field: "spec.exam", reason: "timeLimit must be between 1m and 3h"},
		{name: "negative open replicas", round: with("replicas-neg", "spec.web", map[string]any{"deployment": "contest-web", "openReplicas": int64(-1)}),
			field: "spec.web.openReplicas", reason: "should be greater than or equal to 0"},
		{name: "web without a deployment", round: with("web-nodeploy", "spec.web", map[string]any{"closedReplicas": int64(0)}),
			field: "spec.web.deployment", reason: "Required value"},
		{name: "unknown field", round: with("unknown-field", "spec.foo", "bar"),
			field: "spec.foo", reason: "unknown field"},
		{name: "misspelt field", round: with("misspelt", "spec.exam.maxAttempt", int64(3)),
			field: "spec.exam.maxAttempt", reason: "unknown field"},
		{name: "unknown metadata field", round: with("meta-unknown", "metadata.label", map[string]any{"a": "b"}),
			field: "metadata.label", reason: "unknown field"},
		{name: "no title", round: with("no-title", "spec.title", nil),
			field: "spec.title", reason: "Required value"},
		{name: "title too long", round: with("title-long", "spec.title", strings.Repeat("Đ", 201)),
			field: "spec.title", reason: "Too long: may not be more than 200"},
		{name: "opening time without a zone", round: with("opens-local", "spec.opensAt", "2024-08-17 00:00"),
			field: "spec.opensAt", reason: "must be of type date-time"},
		{name: "reveal policy unknown", round: with("reveal-odd", "spec.exam.revealAnswers", "Sometimes"),
			field: "spec.exam.revealAnswers", reason: `Unsupported value: "Sometimes"`},
		{name: "name not a DNS subdomain", round: with("Đợt_1", "metadata.name", "Đợt_1"),
			field: "metadata.name", reason: "RFC 1123 subdomain"},
		{name: "wrong kind", round: with("wrong-kind", "kind", "ContestRun"), loaderOnly: true,
			field: "kind", reason: `Invalid value: "ContestRun": must be ContestRound`},
		{name: "wrong version", round: with("wrong-version", "apiVersion", "contest.dxcontest.io/v1"), loaderOnly: true,
			field: "apiVersion", reason: `Invalid value: "contest.dxcontest.io/v1": must be contest.dxcontest.io/v1alpha1`},
	}
}
