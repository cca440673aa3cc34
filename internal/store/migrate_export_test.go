package store

// Hooks for the external tests, which cannot live in this package: pgtest imports store.
var (
	ApplyMigrations     = applyMigrations
	LoadMigrations      = loadMigrations
	SupersededChecksums = supersededChecksums
)

// ConsoleUnitSQL are the statements of the console's unit pages and daily export, for the
// benchmark to EXPLAIN.
var ConsoleUnitSQL = map[string]string{
	"FreeTextSpellings": freeTextSpellingsSQL,
	"MappedSpellings":   mappedSpellingsSQL,
	"MapSpelling":       mapSpellingSQL,
	"UnmapSpelling":     unmapSpellingSQL,
	"UnitRegistrations": unitRegistrationsSQL,
	"FreeTextPeople":    freeTextPeopleSQL,
	"FirstDays":         firstDaysSQL,
}
