// Package report builds the organizers' report of a ranked round from the store: the
// prize list, the full ranking with every tie-break value, participation by unit code,
// locality, participant group and day, the item analysis of every question drawn
// (internal/itemstats, judged by the round's key in force after its key corrections; it
// shows the answer key, so the caller can withhold it while the key is still in use), and a summary that says in plain Vietnamese when a tie at a prize
// boundary is left for the committee to decide. It writes the report as one XLSX workbook or
// as one CSV file per table.
//
// The report travels by email, so national IDs and phone numbers are masked unless the
// caller asks for them ([Options.Unmasked]). Every text cell is neutralized against
// formula injection ([Neutralize]) in both formats: names and organizations are typed by
// contestants.
//
// Times are shown in Asia/Ho_Chi_Minh. The ranking sheet shows tie-break values exactly as
// they were compared (microseconds); the prize sheet rounds time used to milliseconds for
// reading.
package report
