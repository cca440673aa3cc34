// Package itemstats is the item analysis of a round: for each question drawn from the
// round's bank version, how often it was drawn, how many got it right, how well it
// separates people who know the topic from those who do not, which options people chose,
// and whether the question looks wrong. It is plain Go (no database, no HTTP): the store
// feeds it sums read from PostgreSQL, the console and the report show what it computes.
//
// # What counts
//
// Every finished attempt of the round (submitted, or closed at its deadline: the attempts
// the ranking reads) that answered at least one question. Each of a person's attempts
// counts, as each is a separate answer to the questions drawn for it. An attempt closed
// without any answer is left out: it says nothing about any question, and counting it would
// lower every facility and raise every discrimination alike. The prediction question is not
// a multiple-choice item and is not analysed.
//
// # The figures
//
//   - Drawn: the attempts that were given the question.
//   - Facility ("độ dễ"): the share of those that chose the key. Unanswered counts as wrong,
//     as in scoring.
//   - Discrimination ("độ phân biệt"): the point-biserial correlation between getting this
//     question right (1 or 0) and the rest of the attempt's score (its score minus this
//     question), over the attempts that drew it. Positive: people who do well elsewhere get
//     it right more often. Near zero: it says nothing about knowledge. Negative: people who
//     do well elsewhere get it wrong more often, which usually means a wrong key or a
//     misleading wording. Using the rest of the score, not the whole score, keeps the
//     question from being correlated with itself. It is undefined (reported as such) when
//     everyone or no one got it right, or when the rest of the score is the same for all.
//   - Options: how many chose each option of the bank (options are shuffled per attempt;
//     counts are by the bank's option, not by the letter shown), and how many left it blank.
//
// The score is the attempt's stored score (what the ranking uses), and the key the one in
// force for the round: the bank's, or the round's key correction of the question
// (internal/regrade), since a correction scores the round again. After a correction the
// facility, discrimination and flags are those of the corrected key, and the stored
// answers need no change: they record the bank option chosen, not whether it was right. A
// question corrected to accept any answer counts every answer as right and is not judged.
//
// # Dubious questions
//
// A question is flagged when a wrong option was chosen more often than the key, or when
// its discrimination is negative. Below [MinSample] attempts neither is judged: with 50
// attempts a correlation of a question that is fine swings by about ±0.28 from chance
// alone, so a smaller sample would flag good questions as often as bad ones. A flag asks a
// person to read the question and its key again; it decides nothing. When the key is
// wrong, the remedy is a key correction of the round (internal/regrade), after which the
// question is judged by the corrected key.
//
// The sums kept per (question, option) — attempts, Σ score, Σ score² — are all the
// correlation needs, so the analysis of a million attempts is a few hundred numbers, and
// the database can compute them where the attempts are.
package itemstats
