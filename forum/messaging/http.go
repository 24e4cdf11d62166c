package messaging

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// httpTimeout bounds one provider request when the caller's context has
// no earlier deadline.
const httpTimeout = 20 * time.Second

// defaultClient is the HTTP client of providers built without one.
var defaultClient = &http.Client{Timeout: httpTimeout}

// post sends req and returns the status and at most 64 KiB of the
// response body. A transport error is temporary.
func post(ctx context.Context, c *http.Client, req *http.Request) (int, []byte, error) {
	if c == nil {
		c = defaultClient
	}
	ctx, cancel := context.WithTimeout(ctx, httpTimeout)
	defer cancel()
	resp, err := c.Do(req.WithContext(ctx))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, body, nil
}

// statusError turns a non-2xx status into an error: 408, 429 and 5xx are
// temporary (the provider is busy or down), other statuses permanent.
func statusError(provider string, status int, detail string) error {
	if status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500 {
		return fmt.Errorf("%s: HTTP %d: %s", provider, status, detail)
	}
	return permanent("%s: HTTP %d: %s", provider, status, detail)
}
