package webapp

import (
	"net/netip"

	"github.com/gin-gonic/gin"

	"github.com/dxcontest/contest-platform/internal/attempt"
)

// What the review queue records of a start or a registration, and no more (docs/web.md,
// "What is recorded for the review queue"): the client's network, never its address, and
// for an attempt a short keyed hash of the browser's user agent.

// deviceTagPurpose keeps device tags apart from the key's other MACs.
const deviceTagPurpose = "integrity-device"

// deviceTagBytes: 8 bytes tell apart the user agents of one network with room to spare,
// and say no more than that.
const deviceTagBytes = 8

// maxUserAgent bounds what is hashed: real user agents are a few hundred bytes.
const maxUserAgent = 1024

// integrityNet is the network an address belongs to as the review queue keeps it: the /24
// of an IPv4 address (coarser than the guards' whole address: enough to see one office or
// lab, not one subscriber), the /64 of an IPv6 one. "" when the address cannot be read.
func integrityNet(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ""
	}
	addr = addr.Unmap()
	bits := 64
	if addr.Is4() {
		bits = 24
	}
	p, err := addr.Prefix(bits)
	if err != nil {
		return ""
	}
	return p.String()
}

// deviceTag is the HMAC-SHA256 of the user agent under the app's key, cut to
// deviceTagBytes: equal for equal user agents, and without the key no table of user
// agents tells which one it was. Nil for an empty user agent.
func (a *App) deviceTag(userAgent string) []byte {
	if userAgent == "" {
		return nil
	}
	if len(userAgent) > maxUserAgent {
		userAgent = userAgent[:maxUserAgent]
	}
	return a.signer.digest(deviceTagPurpose, userAgent)[:deviceTagBytes]
}

// attemptClient is where the request starting an attempt comes from.
func (a *App) attemptClient(c *gin.Context) attempt.Client {
	return attempt.Client{Net: integrityNet(c.ClientIP()), Device: a.deviceTag(c.Request.UserAgent())}
}
