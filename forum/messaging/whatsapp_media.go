package messaging

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// MaxMediaBytes bounds a media file FetchMedia downloads (5 MB, the Cloud
// API's image limit).
const MaxMediaBytes = 5 << 20

// FetchMedia downloads the media a webhook message names by its media id:
// GET /{version}/{media-id} answers {"url","mime_type",…}; then GET that url,
// both with the bearer token. Returns the bytes and the MIME type. Errors
// for a missing token, a non-2xx answer or a file over MaxMediaBytes.
// Source: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#retrieve-media-url
// and #download-media.
func (wa *WhatsAppCloud) FetchMedia(ctx context.Context, mediaID string) ([]byte, string, error) {
	if wa.Token == "" || mediaID == "" {
		return nil, "", fmt.Errorf("whatsapp media: %v", errNoSender)
	}
	base, version := wa.BaseURL, wa.Version
	if base == "" {
		base = "https://graph.facebook.com"
	}
	if version == "" {
		version = "v21.0"
	}
	var meta struct {
		URL  string `json:"url"`
		MIME string `json:"mime_type"`
	}
	b, err := wa.get(ctx, strings.TrimRight(base, "/")+"/"+version+"/"+url.PathEscape(mediaID), 64<<10)
	if err != nil {
		return nil, "", err
	}
	if err := json.Unmarshal(b, &meta); err != nil || meta.URL == "" {
		return nil, "", fmt.Errorf("whatsapp media %s: no url in %q", mediaID, b)
	}
	data, err := wa.get(ctx, meta.URL, MaxMediaBytes)
	if err != nil {
		return nil, "", err
	}
	return data, meta.MIME, nil
}

func (wa *WhatsAppCloud) get(ctx context.Context, u string, limit int64) ([]byte, error) {
	c := wa.Client
	if c == nil {
		c = defaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, httpTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("whatsapp media: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+wa.Token)
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("whatsapp media: %w", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("whatsapp media: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return nil, statusError("whatsapp media", resp.StatusCode, string(b[:min(len(b), 200)]))
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("whatsapp media: over %d bytes", limit)
	}
	return b, nil
}
