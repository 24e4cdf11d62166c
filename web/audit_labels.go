package web

import "github.com/nicksnyder/go-i18n/v2/i18n"

// auditLabel is the audit log's words for a code the domain writes: family
// "action" (what was done: "phase_add", "complaint.route") or "kind" (what
// it was done to: "proposal", "focus_group"). Labels live in
// locales/audit.*.json as audit.<family>.<code>; a code without one (an
// entry written by a newer version) shows the family's "other" label, so
// the page never shows a raw code. TestEveryAuditCodeHasLabel finds every
// code the source writes.
func (c *catalog) auditLabel(lang, family, code string) string {
	key := "audit." + family + "." + code
	if !c.has(key) {
		key = "audit." + family + ".other"
	}
	return c.T(lang, key)
}

// has reports whether key is a message (every language has the same keys;
// loadCatalog checks that).
func (c *catalog) has(key string) bool {
	_, err := c.loc[defaultLang].Localize(&i18n.LocalizeConfig{MessageID: key})
	return err == nil
}
