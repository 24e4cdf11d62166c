package main

import (
	"os"

	"github.com/rembug/rembug/web"
)

// mailConfig reads the notification email settings (README
// "Notifications"): REMBUG_SMTP_URL (smtp://user:pass@host:587; empty
// sends no email) and REMBUG_MAIL_FROM (the sender, default
// rembug@localhost); links in mails start with the base URL.
func (c *config) mailConfig() web.MailConfig {
	return web.MailConfig{URL: os.Getenv("REMBUG_SMTP_URL"), From: env("REMBUG_MAIL_FROM", "rembug@localhost"), BaseURL: c.baseURL()}
}
