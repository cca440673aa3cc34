// Package loadtest plays contestants against a running exam web app over HTTP as phone
// browsers do, and measures what they wait for.
//
// Each person has a cookie jar and sends what the page and its script send: the sign-in
// and registration forms with the proof of work solved (internal/pow), the page's Origin
// and Sec-Fetch-* headers (the app uses http.CrossOriginProtection), url-encoded forms,
// autosaves as the exam page's script posts them (Accept: application/json), gzip, and
// redirects followed as a browser follows them. Every request is a step of a phase
// (registration, sign-in, the exam flow, a synchronized start) timed into an HDR
// histogram; failures are counted by kind (status code, timeout, network, unexpected page).
// Afterwards Check verifies in SQL that every acknowledged submit is stored exactly once and
// that nobody exceeds the attempt cap, and bounds (p99 per step, errors) decide the exit
// code. Prepare makes people and rounds quickly, without argon2 per person.
//
// `contest loadtest` is the command line; `make bench` (hack/bench.sh) runs it next to
// pgbench, whose script package flowsql records from the app itself. docs/BENCHMARKS.md
// says what each figure means.
package loadtest
