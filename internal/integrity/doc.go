// Package integrity finds the signals that put a person in the organizers' review queue
// (the console's /console/integrity). It is plain Go (no HTTP, no database, no Kubernetes):
// the store narrows what it reads, and each signal is one pure function here, table-tested
// with a true positive and a near miss.
//
// The signals, each per round unless said:
//
//  1. [KindFastPerfect]: an attempt with every answer right, submitted by the person in less
//     time than the round's threshold (spec.integrity.fastPerfectSeconds, default 60 s):
//     faster than reading fifteen questions.
//  2. [KindSharedDevice] and [KindSharedNetwork]: at least N different accounts started
//     attempts from one device (the same browser, by a keyed hash of its user agent, on the
//     same network) or from one network (/24 of IPv4, /64 of IPv6) within a window of
//     minutes. Many honest people share one address (a carrier's CGNAT, an office, a school
//     lab of identical computers), so this is only ever a reason to look.
//  3. [KindSameAnswers]: two accounts' attempts started and submitted within seconds of each
//     other that chose the same option on every question both drew (at least MinShared of
//     them answered).
//  4. [KindRegistrationBurst] (per contest): at least N registrations from one network
//     within a window of minutes.
//
// Nothing here excludes anyone. A signal is evidence for a person to look at; organizers
// decide, with a reason, and only their decision reaches the ranking.
//
// Each signal carries a Key naming the evidence (the kind and the attempts or registration
// it is about). A person dismissed ("không vi phạm") stays dismissed while every signal
// they have carries a key the dismissal covered; a signal with a new key (a new attempt, a
// new pair of accounts) is new evidence and brings them back.
package integrity
