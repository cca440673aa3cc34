package loadtest

import (
	"bytes"
	"html"
	"strconv"
)

// The pages are read with plain scans for the few attributes a browser's script would use:
// the tool shares the CPU with the server, and a regular expression over a 40 kB exam page
// costs more than the request.

// attr returns the value of the attribute whose opening (`name="`) starts at the end of
// marker in page, up to the closing quote, from position from on; -1 when absent.
func attrAfter(page, marker []byte, from int) (value []byte, next int) {
	i := bytes.Index(page[from:], marker)
	if i < 0 {
		return nil, -1
	}
	start := from + i + len(marker)
	end := bytes.IndexByte(page[start:], '"')
	if end < 0 {
		return nil, -1
	}
	return page[start : start+end], start + end
}

var (
	challengeMarker = []byte(`name="challenge" value="`)
	bitsMarker      = []byte(` data-bits="`)
)

// challengeOf reads the form's anti-robot challenge: the token and its difficulty.
func challengeOf(page []byte) (token string, bits int, ok bool) {
	v, next := attrAfter(page, challengeMarker, 0)
	if next < 0 || !bytes.HasPrefix(page[next+1:], bitsMarker) {
		return "", 0, false
	}
	b, end := attrAfter(page, bitsMarker, next)
	if end < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(string(b))
	if err != nil || n < 0 || n > 40 {
		return "", 0, false
	}
	token = string(v)
	if bytes.IndexByte(v, '&') >= 0 {
		token = html.UnescapeString(token)
	}
	return token, n, token != ""
}

var (
	localityMarker = []byte(`name="locality"`)
	optionMarker   = []byte(`<option value="`)
	selectEnd      = []byte(`</select>`)
)

// communesOf lists the locality codes the registration page's select offers.
func communesOf(page []byte) []string {
	i := bytes.Index(page, localityMarker)
	if i < 0 {
		return nil
	}
	end := bytes.Index(page[i:], selectEnd)
	if end < 0 {
		return nil
	}
	sel := page[i : i+end]
	var codes []string
	for at := 0; ; {
		v, next := attrAfter(sel, optionMarker, at)
		if next < 0 {
			return codes
		}
		if len(v) > 0 {
			codes = append(codes, string(v))
		}
		at = next
	}
}

var (
	radioMarker = []byte(`type="radio" name="q`)
	valueMarker = []byte(` value="`)
)

// questionsOf counts the options of each question of an exam page (their identifiers are
// position letters, A first); nil when the page has none.
func questionsOf(page []byte) []int {
	var counts []int
	for at := 0; ; {
		i := bytes.Index(page[at:], radioMarker)
		if i < 0 {
			return counts
		}
		at += i + len(radioMarker)
		end := bytes.IndexByte(page[at:], '"')
		if end < 0 {
			return counts
		}
		q, err := strconv.Atoi(string(page[at : at+end]))
		if err != nil || q < 0 || q > 999 {
			return nil
		}
		at += end + 1
		if !bytes.HasPrefix(page[at:], valueMarker) {
			return nil
		}
		for len(counts) <= q {
			counts = append(counts, 0)
		}
		counts[q]++
	}
}

// attemptPath parses "/attempts/ID" into ID.
func attemptPath(loc string) (int64, bool) {
	const prefix = "/attempts/"
	if len(loc) <= len(prefix) || loc[:len(prefix)] != prefix {
		return 0, false
	}
	id, err := strconv.ParseInt(loc[len(prefix):], 10, 64)
	return id, err == nil && id > 0
}

var (
	signedInMarker = []byte(`action="/signout"`)
	resultMarker   = []byte(`<ul class="result">`)
	savedMarker    = []byte(`"saved":`)
)
