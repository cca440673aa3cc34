// Package person holds the registration rules for contestants: national ID (CCCD),
// phone, name, date of birth, gender, participant group and email, and how personal
// data is masked on public pages. It is plain Go (no HTTP, no database) and reports
// problems as [FieldError]s: the form field, a stable code and a Vietnamese message.
// The texts of the codes, and the labels of genders and participant groups, are in
// internal/locale's catalogs, in Vietnamese and English.
//
// Decisions:
//
//   - National ID: 12 digits; spaces, dots and dashes typed between digits are
//     dropped. The 4th digit encodes century and gender as Circular 07/2016/TT-BCA
//     says (0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 2300s; even male, odd
//     female). No digit is special-cased: a digit whose century cannot be a living
//     person's fails the century check against the date of birth, which itself must
//     be 6–120 years ago. Mismatches are reported on the national_id field with a
//     message naming the other field (date of birth or gender), because the ID is the
//     value most often mistyped. The 9-digit old ID card (CMND) gets its own message.
//   - Province codes: the 63 codes of the circular's appendix are listed
//     ([Provinces]), and [CheckProvince] is available, but [Registration.Validate]
//     does not apply it: a citizen whose birth was registered abroad has a country
//     code there instead, and those codes are not listed here. Refusing a real person
//     costs more than accepting a typo that the birth-year and gender checks mostly
//     catch anyway.
//   - Phone: Vietnamese mobile numbers only, stored as 10 digits starting with 0
//     (prefixes 03, 05, 07, 08, 09). +84/84/0084 and separators are accepted on input.
//   - Name: trimmed, inner spaces collapsed, NFC-normalized (Vietnamese keyboards
//     may send combining marks); case is kept as typed.
//   - Date of birth: "dd/mm/yyyy" (also d/m/yyyy and with '.' or '-') or
//     "yyyy-mm-dd"; age counted in Vietnam's calendar (UTC+7) at the injected now;
//     someone born on 29 February turns a year older on 1 March in common years.
//   - Organization is required for the official and armed_forces groups (the plan
//     excludes staff of one department, so the unit must be known); optional for
//     students and residents.
//   - Masking: national ID keeps the first 3 digits (birth province) and the last 2
//     ("060*******34"); phone keeps the first 4 and last 3 ("0912***678"). Names
//     are published in full (as these contests do); [MaskName] offers "Nguyễn V. A.".
package person
