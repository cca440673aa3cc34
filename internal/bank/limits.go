package bank

// Limits of the import format. Lengths are in characters (runes). They are
// generous for real contest questions yet keep one bad paste (a whole
// document in one cell) from reaching contestants' phones.
const (
	MinOptions = 2
	MaxOptions = 6

	MaxQuestionRunes    = 1000
	MaxOptionRunes      = 300
	MaxExplanationRunes = 2000
	MaxTopicTitleRunes  = 300
	MaxIDLength         = 64

	// MaxFileBytes bounds what a parser reads, so an upload cannot exhaust
	// the web app's memory. A bank of thousands of questions is well under.
	MaxFileBytes = 32 << 20
)
