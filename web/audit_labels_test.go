package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/realtime/live"
)

// auditCodeWrites are the ways the source writes an audit action code as a
// literal: forum's audit helpers (audit, forum.Audit, polls' auditSurvey),
// an AuditEntry's Action field, a complaint
// change's action, the complaint directory and indicator stores' helpers.
var auditCodeWrites = []*regexp.Regexp{
	regexp.MustCompile(`\b(?:audit|forum\.Audit)\(ctx, tx, [A-Za-z{}: ]+, "([a-z_.]+)"\s*[,})]`),
	regexp.MustCompile(`\bauditSurvey\(ctx, tx, v, "([a-z_.]+)"\s*[,})]`),
	regexp.MustCompile(`\bAction: "([a-z_.]+)"\s*[,})]`),
	regexp.MustCompile(`\baction: "([a-z_.]+)"\s*[,})]`),
	regexp.MustCompile(`\bauditDirectory\(ctx, tx, a, "([a-z_.]+)"\s*[,})]`),
	regexp.MustCompile(`\bs\.write\(ctx, v, "([a-z_.]+)"\s*[,})]`),
}

// auditKindWrites are the literal target kinds written beside them.
var auditKindWrites = []*regexp.Regexp{
	regexp.MustCompile(`\b(?:audit|forum\.Audit)\(ctx, tx, [A-Za-z{}: ]+, "[a-z_.]+", "([a-z_]+)"\s*[,})]`),
	regexp.MustCompile(`\bTargetKind: "([a-z_]+)"\s*[,})]`),
}

// TestEveryAuditCodeHasLabel reads the module's source for every audit
// action and target kind it writes, adds the codes built at run time
// (moderation actions, official-answer statuses, deadline events, live
// moderation), and
// checks each has its own label in both languages, so the audit log page
// never shows a raw code or falls back to "other action" for a known one.
func TestEveryAuditCodeHasLabel(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]bool{"complaint.escalated": true, "complaint.deadline_warning": true}
	for _, a := range []string{forum.ActionHide, forum.ActionRestore, forum.ActionApprove, forum.ActionIgnore, forum.ActionBlock, forum.ActionBlockSite} {
		actions[a] = true
	}
	for _, s := range forum.AnswerStatuses {
		actions["answer_"+s] = true
	}
	kinds := map[string]bool{forum.TargetProposal: true, forum.TargetComment: true, forum.TargetUser: true}
	liveActions, liveKinds := live.AuditCodes()
	for _, a := range liveActions {
		actions[a] = true
	}
	for _, k := range liveKinds {
		kinds[k] = true
	}
	err = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range auditCodeWrites {
			for _, m := range re.FindAllSubmatch(b, -1) {
				actions[string(m[1])] = true
			}
		}
		for _, re := range auditKindWrites {
			for _, m := range re.FindAllSubmatch(b, -1) {
				kinds[string(m[1])] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) < 30 {
		t.Fatalf("found only %d audit actions in the source; the patterns no longer match how it writes them", len(actions))
	}
	for family, codes := range map[string]map[string]bool{"action": actions, "kind": kinds} {
		for code := range codes {
			if !c.has("audit." + family + "." + code) {
				t.Errorf("audit %s %q has no label in locales/audit.*.json", family, code)
			}
			for _, lang := range languages {
				if got := c.auditLabel(lang, family, code); strings.HasPrefix(got, "!") {
					t.Errorf("audit %s %q in %s shows %q", family, code, lang, got)
				}
			}
		}
	}
	if got := c.auditLabel("en", "action", "made_up_code"); got != "Other action" {
		t.Errorf("unknown action shows %q, want the translated fallback", got)
	}
}
