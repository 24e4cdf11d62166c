package web

import (
	"encoding/base64"
	"fmt"
	"html/template"

	qrcode "github.com/skip2/go-qrcode"
)

// qrPixels is the side of a QR code image in pixels: large enough to scan
// from a projector or a printed invitation, small on a phone's screen.
const qrPixels = 256

// qrDataURI encodes text as a QR code (ISO/IEC 18004, error correction
// level M, about 15% of the symbol recoverable) and returns it as a PNG
// data: URI for an <img>, so that a link shown once needs no second
// request that would have to carry its secret.
func qrDataURI(text string) (template.URL, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, qrPixels)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil //nolint:gosec // our own PNG
}
