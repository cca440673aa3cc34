package store

// Hooks for the external tests, which cannot live in this package: pgtest imports store.
var (
	ApplyMigrations     = applyMigrations
	LoadMigrations      = loadMigrations
	SupersededChecksums = supersededChecksums
)
