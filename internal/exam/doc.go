// Package exam draws the questions of one attempt from a question bank, shows them
// without the answer key, checks and scores the answers, and reads the prediction
// answer. It is plain Go (no HTTP, no database, no Kubernetes) so the web app and the
// ranking job share one exact set of rules.
//
// Decisions:
//
//   - Question order is fully shuffled across topics (topics are not grouped). The
//     quotas fix how many questions each topic contributes; their positions carry no
//     information, and every contestant gets the same distribution.
//   - Option order is shuffled per question per attempt, uniformly (Fisher–Yates).
//   - Option identifiers shown to the contestant are position letters "A", "B", ... in
//     the shuffled order. Because the shuffle is per attempt, a letter says nothing
//     about correctness, and letters are what contestants expect and what keeps the
//     answers JSON tiny ({"0":"B"}).
//   - Questions are identified to the contestant only by their index in the paper
//     (0-based; shown as Number = index + 1), never by the bank question ID, whose
//     wording could hint at content or let people pool answers across attempts.
//   - A [Paper] is the stored form of an attempt (attempt.paper): per item the bank
//     question ID, its position in the bank (a hint, verified against the ID, so a
//     paper stays valid even if a bank is ever loaded in another order) and the option
//     permutation as a string of digits: about 35 bytes plus the ID per item, ~600
//     bytes for 15 questions with short IDs and under 1.5 kB even with the bank's
//     longest (64-character) IDs, so it is written once per attempt start and stored
//     inline (below PostgreSQL's 2 kB TOAST threshold). A Paper never leaves the
//     server.
//   - Randomness is injected: tests pass a seeded *rand.Rand, production passes
//     [NewRand] (ChaCha8 seeded from crypto/rand), so no one can predict a draw.
//   - Messages a person may read are Vietnamese; every error carries a stable code,
//     whose texts in Vietnamese and English are in internal/locale's catalogs.
package exam
