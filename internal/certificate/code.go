package certificate

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
)

// A verification code names the contestant and carries a MAC of what the certificate says:
//
//	version (1 byte) | contestant id (uvarint) | HMAC-SHA256(key, "certificate" 0 round 0 id 0 kind 0 prize)[:10]
//
// in base32 (A–Z, 2–7: no 0/O or 1/I to confuse on paper), in groups of four. It is made
// from the server's secret, so nobody can make one, and nothing is stored: whoever checks a
// code recomputes the MAC for each round of the contest and each kind of certificate (a
// handful of HMACs, no database read), and only a code that matches one of them leads to
// the database. 80 bits of MAC make guessing hopeless even without the rate limit.
const (
	codeVersion  = 1
	macBytes     = 10
	codePurpose  = "certificate"
	maxCodeInput = 64 // a real code has 23 characters and 5 dashes
)

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// ErrBadCode means a string is not a verification code.
var ErrBadCode = errors.New("not a certificate verification code")

// Subject is what a certificate vouches for: a contestant's participation in a round, or
// the prize they were given in it.
type Subject struct {
	Round      string // the round's key (namespace/name)
	Contestant int64
	Kind       Kind
	Prize      string // the prize's name; "" for participation
}

// Codes makes and checks verification codes with a server secret.
type Codes struct{ key []byte }

// NewCodes uses key (the app's secret key, shared by every replica).
func NewCodes(key []byte) Codes { return Codes{key: key} }

func (c Codes) mac(s Subject) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(codePurpose))
	for _, part := range []string{s.Round, strconv.FormatInt(s.Contestant, 10), string(s.Kind), s.Prize} {
		m.Write([]byte{0})
		m.Write([]byte(part))
	}
	return m.Sum(nil)[:macBytes]
}

// Code is the verification code of s, as printed: groups of four characters.
func (c Codes) Code(s Subject) string {
	b := []byte{codeVersion}
	b = binary.AppendUvarint(b, uint64(s.Contestant))
	b = append(b, c.mac(s)...)
	raw := codeEncoding.EncodeToString(b)
	var out strings.Builder
	for i := 0; i < len(raw); i += 4 {
		if i > 0 {
			out.WriteByte('-')
		}
		out.WriteString(raw[i:min(i+4, len(raw))])
	}
	return out.String()
}

// Claim is a code read back: the contestant it names and its MAC, not yet checked.
type Claim struct {
	Contestant int64
	mac        []byte
}

// ParseCode reads a code as typed or printed: case, spaces and dashes aside. Anything else
// is ErrBadCode; nothing here says whether the code is genuine (Match does).
func ParseCode(s string) (Claim, error) {
	if len(s) > maxCodeInput {
		return Claim{}, ErrBadCode
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
	b, err := codeEncoding.DecodeString(s)
	if err != nil || len(b) < 2+macBytes || b[0] != codeVersion {
		return Claim{}, ErrBadCode
	}
	id, n := binary.Uvarint(b[1:])
	if n <= 0 || 1+n+macBytes != len(b) || id == 0 || id > 1<<62 {
		return Claim{}, ErrBadCode
	}
	return Claim{Contestant: int64(id), mac: b[1+n:]}, nil
}

// Match says whether the claim was made for s, in constant time.
func (c Codes) Match(cl Claim, s Subject) bool {
	return s.Contestant == cl.Contestant && hmac.Equal(c.mac(s), cl.mac)
}
