// Package password hashes and checks passwords with argon2id, and bounds how much memory the
// checks in flight may take together. It has no HTTP or database imports: the web app's
// sign-in, registration and organizer console call it.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Parameters of new hashes: argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane), a
// cost a two-core replica can afford during a registration burst. Stored hashes carry their
// own parameters (PHC string format), so these can rise without invalidating old ones.
const (
	Time      = 2
	MemoryKiB = 19 * 1024
	Threads   = 1
	KeyLen    = 32
	saltLen   = 16
)

// MaxMemoryKiB is the most memory a stored hash may ask one check to spend. A hash asking
// for more is refused as malformed: the Gate could never admit it.
const MaxMemoryKiB = 256 * 1024

// ErrMalformed says a stored hash is not an argon2id PHC string this package can check.
var ErrMalformed = errors.New("unrecognized password hash")

// Hash returns the argon2id hash of password in the PHC string format.
func Hash(password string) string {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails on supported platforms
	key := argon2.IDKey([]byte(password), salt, Time, MemoryKiB, Threads, KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, MemoryKiB, Time, Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// Params are a stored hash's cost parameters.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
	salt, key []byte
}

// Parse reads a stored hash's parameters.
func Parse(encoded string) (Params, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return Params{}, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return Params{}, ErrMalformed
	}
	if p.MemoryKiB == 0 || p.MemoryKiB > MaxMemoryKiB || p.Time == 0 || p.Time > 16 || p.Threads == 0 {
		return Params{}, ErrMalformed
	}
	var err1, err2 error
	p.salt, err1 = base64.RawStdEncoding.DecodeString(parts[4])
	p.key, err2 = base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(p.key) == 0 || len(p.key) > 64 {
		return Params{}, ErrMalformed
	}
	return p, nil
}

// Check reports whether password matches the stored hash, in time independent of where
// they differ.
func Check(encoded, password string) (bool, error) {
	p, err := Parse(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), p.salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(got, p.key) == 1, nil
}
