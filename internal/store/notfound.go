package store

import "errors"

// ErrNotFound is what every lookup of this package answers when there is nothing to find,
// wrapped with what was looked for (e.g. ErrBankNotFound): callers test errors.Is(err,
// ErrNotFound). It is the project's one not-found convention (docs/decisions.md): a
// lookup that can fail returns a sentinel error, never (nil, nil) and never an ok bool;
// comma-ok stays for lookups in memory that cannot fail otherwise.
var ErrNotFound = errors.New("not found")
