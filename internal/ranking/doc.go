// Package ranking turns the submitted attempts of one contest round into the round's
// ranking and prize list. It is plain Go (no database, no Kubernetes) so the same exact
// rules can be run by the ranking job, tested table-style and explained to organizers.
//
// The rules, in the order they are applied:
//
//  1. Recognized result. Each person's recognized result is their best attempt (plan
//     2937, II.4: "most correct answers and earliest completion"): most correct, then
//     earliest SubmittedAt, then smaller TimeUsed, then smaller AttemptID. AttemptID is
//     only a deterministic last key; attempt ids are assumed unique.
//  2. Actual answer. The answer to the prediction question is the number of people whose
//     recognized result is perfect (Correct == Total, Total > 0).
//  3. Order. People are ordered by the rules' tie-break keys (default: Correct desc,
//     |Prediction − Actual| asc, TimeUsed asc, SubmittedAt asc). People equal on every
//     tie-break key share a rank (competition ranking: 1, 2, 2, 4). Among them the listing
//     order is PersonID asc; it decides nothing else.
//  4. Eligibility. A person flagged by organizers, or whose unit is excluded, or whose
//     organization as typed matches one of the rules' IneligibleOrganizations, is listed
//     with their rank but takes no prize and does not use up a prize place. A unit is
//     excluded when IneligibleUnits lists it or a unit above it in the contest's list (a
//     department's divisions are the department), or when an IneligibleOrganizations name
//     is its name or alias (without case or diacritics; a name two units share names both).
//     The unit is looked at before the typed text, and the reason names the first that
//     excludes.
//  5. Prizes. Places are filled in the declared prize order by eligible people in rank
//     order, one prize per person, and never more places than declared. A prize may ask
//     for a minimum number of correct answers (Prize.MinCorrect; a lower prize never asks
//     for more than a higher one): a person below it keeps their rank but neither takes
//     that prize nor holds its place, which goes to the next person who meets it or stays
//     vacant; they may still take a lower prize whose condition they meet, and
//     Entry.BelowCondition names the prize they missed. When people who share a rank do
//     not all fit the same prize (see [BoundaryTie]) the rules cannot decide between them:
//     none of them is given a prize, the places stay reserved for them, and the result
//     reports the tie for the organizers to decide.
//
// Attempts are fed one at a time ([Builder.Add]); the builder keeps only each person's
// best attempt so far in a compact record, so a round of a million attempts ranks without
// holding the raw rows.
package ranking
