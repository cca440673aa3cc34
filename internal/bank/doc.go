// Package bank holds the contest's question bank: its types, the rules a
// valid bank obeys, and the organizers' import format (CSV or XLSX). It is
// plain Go on purpose (no HTTP, Kubernetes or database): the web app, the
// ranking job and the "bank import" command all share it.
//
// # Import format
//
// FORMAT.md (in Vietnamese, with an English summary) is the reference for
// organizers. In short: one row per question, a header row first. Header
// names are matched ignoring case, diacritics, spaces and punctuation
// ("Phương án A" = "phuong_an_a"); English aliases are accepted.
//
//	ma_cau_hoi    question ID, optional: derived from the text when empty
//	chu_de        topic code (or the topic's title)
//	cau_hoi       question text
//	phuong_an_a   option A, required
//	phuong_an_b   option B, required
//	phuong_an_c…f options C–F, optional, without gaps
//	dap_an        the one correct option letter, A–F
//	giai_thich    explanation, optional
//
// CSV files are UTF-8 (a BOM is allowed) with comma, semicolon or tab
// separators, detected from the header; their topics are given by the
// caller. XLSX workbooks carry their topics in a "chu_de" sheet (columns
// ma_chu_de, ten_chu_de) and their questions in a "cau_hoi" sheet or the
// first sheet.
//
// # All or nothing
//
// ParseCSV, ParseXLSX and ParseFile return a complete, valid Bank or an
// *ImportError listing every problem, each located by row (as a spreadsheet
// numbers it, header = row 1) and canonical column name, with a Vietnamese
// reason for the organizer: "dòng 5, cột phuong_an_b: phương án trống".
// Other errors mean the input could not be read at all.
//
// Text is stored trimmed and in Unicode NFC. Duplicate questions and
// options are found on NFC, case-folded, space-collapsed text.
//
// # Sample bank
//
// Sample returns "NGÂN HÀNG CÂU HỎI MẪU — chỉ để thử nghiệm", built only
// from the contest plan and verified facts, for demos and tests.
package bank
