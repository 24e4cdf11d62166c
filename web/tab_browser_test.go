package web_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// stepTimeout limits one browser step (a query and its action, or a click
// and the page it leads to) well inside the browser's own deadline, so a
// step that cannot succeed fails with its name instead of eating the test.
const stepTimeout = 30 * time.Second

// staleRetries bounds how often an element action runs again after its
// node went stale.
const staleRetries = 3

// staleNode reports whether err says that the node an element action had
// found left the document before the action used it: a navigation or a
// script replaced it. The protocol call that failed comes before any
// input event, so the click or key press did not happen and the action
// may run again with a fresh query.
func staleNode(err error) bool {
	if err == nil {
		return false
	}
	for _, m := range []string{"Could not find node with given id", "No node with given id found", "Node is detached from document"} {
		if strings.Contains(err.Error(), m) {
			return true
		}
	}
	return false
}

// retryStale wraps an element action (query, then act) so that a stale node
// makes it query again, at most staleRetries times.
func retryStale[T any](a chromedp.Action[T]) chromedp.Action[T] {
	return func(ctx context.Context, t *chromedp.Target) (T, error) {
		for i := 0; ; i++ {
			v, err := a(ctx, t)
			if err == nil || i == staleRetries || ctx.Err() != nil || !staleNode(err) {
				return v, err
			}
		}
	}
}

// settledJS holds when the document has loaded and, on a live session page
// (live.js), the websocket is connected and no re-read of the page is
// pending, so the nodes a test is about to use are the current ones.
const settledJS = `document.readyState === "complete" &&
	(function(l){ return !l || l.dataset.live === "ready"; })(document.getElementById("live"))`

// tab is one browser tab (one chromedp context that has run once) driven
// by a test. Every method fails the test on an error, naming the tab.
type tab struct {
	t    *testing.T
	name string
	ctx  context.Context
}

func (b tab) fail(format string, args ...any) {
	b.t.Helper()
	if b.name != "" {
		format = b.name + ": " + format
	}
	b.t.Fatalf(format, args...)
}

// runStep runs one action within stepTimeout.
func runStep[T any](b tab, a chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// do runs the steps in order, each one again after a stale node.
func (b tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	for i, s := range steps {
		if _, err := runStep(b, retryStale(s)); err != nil {
			b.fail("step %d: %v", i+1, err)
		}
	}
}

// text reads the text of the first element matching sel, as chromedp.Text
// does (the rendered text; "" for an element without layout), once such an
// element exists. Finding the element and reading it is one script run, so
// a page script that swaps the element meanwhile cannot hand back the text
// of a detached node.
func (b tab) text(sel string) string {
	b.t.Helper()
	js := `(function(e){ return !e ? null : [e.getClientRects().length ? e.innerText : ""]; })(document.querySelector(` + strconv.Quote(sel) + `))`
	v := until(b, "the text of "+sel, js, func(v []string) bool { return len(v) == 1 })
	return v[0]
}

// settle waits until the page is settled (settledJS).
func (b tab) settle() {
	b.t.Helper()
	b.await("a settled page", settledJS)
}

// submit clicks sel (a form button or a link) on the settled page and
// waits for the page it leads to, which must answer 200 (after redirects).
func (b tab) submit(sel string) {
	b.t.Helper()
	b.settle()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, retryStale(chromedp.Click(chromedp.CSS(sel))))
	if err != nil {
		b.fail("submit %s: %v", sel, err)
	}
	if res == nil {
		b.fail("submit %s: no page loaded", sel)
	}
	if res.Status != http.StatusOK {
		body, _ := runStep(b, chromedp.Text(chromedp.CSS("main")))
		b.fail("submit %s: status %d: %s", sel, res.Status, body)
	}
}

// await waits until the JavaScript predicate pred holds in the page: DOM
// conditions, never fixed sleeps.
func (b tab) await(what, pred string) {
	b.t.Helper()
	until(b, what, pred, func(ok bool) bool { return ok })
}

// until evaluates js every 50 ms in the tab's current document until done
// accepts its value, within stepTimeout. Each round evaluates afresh, so a
// navigation, or a new document whose context the driver has not seen yet,
// costs one round instead of failing the step; a JavaScript exception (a
// broken expression) fails at once.
func until[T any](b tab, what, js string, done func(T) bool) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
		if err == nil && done(v) {
			return v
		}
		var exc *chromedp.ExceptionError
		if errors.As(err, &exc) || ctx.Err() != nil {
			if err == nil {
				err = ctx.Err()
			}
			text, _ := runStep(b, chromedp.Evaluate[string](`(document.getElementById("live-body") || document.body).innerText`))
			b.fail("waiting for %s: %v\npage text:\n%s", what, err, text)
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// eval evaluates a JavaScript expression in the tab's page.
func eval[T any](b tab, expr string) T {
	b.t.Helper()
	v, err := runStep(b, chromedp.Evaluate[T](expr))
	if err != nil {
		b.fail("evaluate %s: %v", expr, err)
	}
	return v
}

// textHas is a predicate: the text of the first element matching sel
// contains want.
func textHas(sel, want string) string {
	return `(function(){var e=document.querySelector(` + strconv.Quote(sel) + `);return !!e && e.textContent.indexOf(` + strconv.Quote(want) + `) >= 0;})()`
}
