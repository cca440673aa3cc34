package webapp

import (
	"net/netip"

	"github.com/gin-gonic/gin"
)

// clientNet is the client's network as the per-address counters key it: the whole address
// for IPv4, the /64 prefix for IPv6, where one subscriber (one phone, one home router) is
// handed a whole /64 and could otherwise rotate through 2^64 addresses to dodge a limit.
func clientNet(c *gin.Context) string {
	return networkOf(c.ClientIP())
}

func networkOf(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	p, err := addr.Prefix(64)
	if err != nil {
		return addr.String()
	}
	return p.String()
}
