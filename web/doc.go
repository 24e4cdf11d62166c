// Package web is rembug's HTTP server: routes, handlers, middleware (request
// ids, logs, metrics, security headers, cross-origin and CSRF protection,
// body limits), server-rendered pages in Bahasa Indonesia and English, and
// the read-only JSON API under /api/v1.
//
// Pages work without JavaScript: every action is a plain form POST that ends
// in a redirect. Templates, translations and static files are embedded and
// checked when the Server is built, so a broken template stops the boot, not
// a request. A Server holds no state that another node needs: visitors are
// identified by a signed cookie whose key lives in the database. Its handlers
// are safe for concurrent use.
package web
