package bank

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"
)

// checksumVersion names the canonical encoding; change it whenever the
// encoding changes so old and new checksums can never be confused.
const checksumVersion = "contest-bank/v1"

// Checksum returns a hex SHA-256 of the bank's content, to detect that an
// upload is identical to a version already stored. Content is the topics and
// the questions with their options, correct flags and explanations; Name and
// Version are not content. Topics are taken in code order and questions in ID
// order, so reordering rows in a spreadsheet does not make a "new" bank,
// while any change of text, topic, option order or answer does.
//
// Each string is length-prefixed, so no two different banks share an
// encoding (no separator can be forged by the text itself).
func (b *Bank) Checksum() string {
	h := sha256.New()
	writeString(h, checksumVersion)

	topics := slices.SortedFunc(slices.Values(b.Topics), func(x, y Topic) int { return cmp.Compare(x.Code, y.Code) })
	writeInt(h, len(topics))
	for _, t := range topics {
		writeString(h, t.Code)
		writeString(h, t.Title)
	}

	qs := slices.SortedStableFunc(slices.Values(b.Questions), func(x, y Question) int { return cmp.Compare(x.ID, y.ID) })
	writeInt(h, len(qs))
	for _, q := range qs {
		writeString(h, q.ID)
		writeString(h, q.Topic)
		writeString(h, q.Text)
		writeInt(h, len(q.Options))
		for _, o := range q.Options {
			writeString(h, o.Text)
			if o.Correct {
				writeInt(h, 1)
			} else {
				writeInt(h, 0)
			}
		}
		writeString(h, q.Explanation)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeInt(h hash.Hash, n int) {
	h.Write(binary.AppendUvarint(nil, uint64(n)))
}

func writeString(h hash.Hash, s string) {
	writeInt(h, len(s))
	h.Write([]byte(s))
}
