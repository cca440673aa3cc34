package webapp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// signer makes and checks HMAC-signed values. Every replica shares the key (from a
// Kubernetes Secret), so a cookie or token issued by one replica is good on all of them
// and nothing about sessions has to live in one replica's memory.
type signer struct{ key []byte }

func (s signer) mac(purpose, value string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sign returns value.mac, bound to a purpose so a token of one kind is never accepted as another.
func (s signer) sign(purpose, value string) string {
	return value + "." + s.mac(purpose, value)
}

// verify returns the value of a signed token, or false.
func (s signer) verify(purpose, token string) (string, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return "", false
	}
	value, mac := token[:i], token[i+1:]
	if subtle.ConstantTimeCompare([]byte(mac), []byte(s.mac(purpose, value))) != 1 {
		return "", false
	}
	return value, true
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// session is who is signed in, carried in a signed cookie: contestant, contest, expiry and
// the contestant's session epoch when it was issued (raising the epoch ends the session).
type session struct {
	ContestantID int64
	ContestID    string
	Expires      time.Time
	Epoch        int64
}

const sessionPurpose = "session"

func (s signer) encodeSession(sess session) string {
	v := strconv.FormatInt(sess.ContestantID, 10) + "|" + sess.ContestID + "|" + strconv.FormatInt(sess.Expires.Unix(), 10) +
		"|" + strconv.FormatInt(sess.Epoch, 10)
	return s.sign(sessionPurpose, base64.RawURLEncoding.EncodeToString([]byte(v)))
}

// decodeSession reads a session cookie; one issued before epochs existed (three fields)
// carries epoch 0, which is what every contestant had then.
func (s signer) decodeSession(token string, now time.Time) (session, bool) {
	raw, ok := s.verify(sessionPurpose, token)
	if !ok {
		return session{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return session{}, false
	}
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 && len(parts) != 4 {
		return session{}, false
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || !now.Before(time.Unix(exp, 0)) {
		return session{}, false
	}
	sess := session{ContestantID: id, ContestID: parts[1], Expires: time.Unix(exp, 0)}
	if len(parts) == 4 {
		if sess.Epoch, err = strconv.ParseInt(parts[3], 10, 64); err != nil {
			return session{}, false
		}
	}
	return sess, true
}
