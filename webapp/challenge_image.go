package webapp

import (
	"bytes"
	"net/http"

	"github.com/dchest/captcha"
	"github.com/gin-gonic/gin"
)

const (
	pictureWidth  = 240
	pictureHeight = 80
)

// challengeImage draws the no-script challenge's digits as a distorted picture
// (github.com/dchest/captcha). Only browsers without JavaScript fetch it (it sits in
// <noscript>), and a network may fetch a few per second.
func (a *App) challengeImage(c *gin.Context) {
	ch, err := a.parseChallenge(c.Query("t"))
	if err != nil {
		c.Status(http.StatusNotFound)
		return
	}
	s := a.challengeDigits(ch.nonce)
	digits := make([]byte, len(s))
	for i := range s {
		digits[i] = s[i] - '0'
	}
	var buf bytes.Buffer
	if _, err := captcha.NewImage(ch.nonce, digits, pictureWidth, pictureHeight).WriteTo(&buf); err != nil {
		a.log(c).Error("draw challenge picture", "err", err)
		c.Status(http.StatusInternalServerError)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "image/png", buf.Bytes())
}
