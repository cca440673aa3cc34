// Package regrade is the rule of a key correction: when the committee finds a question's
// answer key wrong after people have answered it, the round's attempts are scored again
// with the corrected key, and organizers see beforehand what that changes. It is plain Go
// (no HTTP, no database, no Kubernetes), like exam and ranking, on which it builds.
//
// The rules:
//
//   - A question bank version never changes. A correction belongs to a round: for one of
//     its questions, a new key (another option) or "any answer is right". It is a record
//     with a required reason, who and when.
//   - The corrections in force for a round are, per question, the latest one ([InForce]):
//     a later correction of the same question replaces the earlier one's effect.
//   - Every score is a function of the paper, the bank version, the answers and the
//     corrections in force (exam.ScoreWith), never of an earlier score: applying a
//     correction scores again from scratch every attempt whose paper holds a corrected
//     question ([Rescorer]). The other attempts cannot change, since without a corrected
//     question in the paper every set of corrections scores it as the bank does.
//   - What organizers see before applying is computed by the same code without writing:
//     how many attempts' scores change, how many people's best result changes, and how
//     the prize list would change ([Ranker]: the ranking's own rules, run in memory on the
//     scores before and after).
package regrade
