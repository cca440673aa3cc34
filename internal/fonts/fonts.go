// Package fonts holds the typeface the server draws text with — the banners (PNG, SVG) and
// the certificates (PDF) — embedded in the binary: a drawing must look the same on every
// replica and in every image, and a server's system fonts (a distroless image has none)
// cannot be relied on for Vietnamese tone marks. README.md says where the files come from
// and their licence.
package fonts

import _ "embed"

var (
	//go:embed BeVietnamPro-Bold.ttf
	boldTTF []byte
	//go:embed BeVietnamPro-SemiBold.ttf
	semiBoldTTF []byte
)

// Bold is Be Vietnam Pro Bold, as a TrueType file. The slice is shared: do not modify it.
func Bold() []byte { return boldTTF }

// SemiBold is Be Vietnam Pro SemiBold, as a TrueType file. The slice is shared: do not
// modify it.
func SemiBold() []byte { return semiBoldTTF }
