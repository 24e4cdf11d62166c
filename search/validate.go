package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// GroupVisibility returns the visibility value of focus group id's
// documents: "group:<id>".
func GroupVisibility(id int64) string {
	return "group:" + strconv.FormatInt(id, 10)
}

// VisibleTo returns the visibility values v may read: "public", one
// "group:<id>" per member group and "staff" for staff. "hidden" is never
// included. Engines turn this list into a filter inside every query.
func VisibleTo(v Viewer) []string {
	out := []string{VisibilityPublic}
	for _, g := range v.Groups {
		out = append(out, GroupVisibility(g))
	}
	if v.Staff {
		out = append(out, VisibilityStaff)
	}
	for _, r := range v.Readers {
		if validReader(r) {
			out = append(out, r)
		}
	}
	return out
}

// ReaderAnalyst is the Readers audience of analysts (staff without
// moderation rights).
const ReaderAnalyst = "analyst"

// UserReader is the Readers audience of user id: "user:<id>".
func UserReader(id int64) string { return "user:" + strconv.FormatInt(id, 10) }

// AgencyReader is the Readers audience of agency id's officers:
// "agency:<id>".
func AgencyReader(id int64) string { return "agency:" + strconv.FormatInt(id, 10) }

// Audience is what engines index and filter on for d: its visibility and,
// unless it is hidden, its readers. A viewer reads d when one of these
// values is among VisibleTo(viewer).
func (d Document) Audience() []string {
	if d.Visibility == VisibilityHidden {
		return []string{VisibilityHidden}
	}
	return append([]string{d.Visibility}, d.Readers...)
}

// Readable reports whether v may read d: the one check of a document's
// visibility and readers against a viewer, as the engines' filter applies it.
func Readable(v Viewer, d Document) bool {
	allowed := VisibleTo(v)
	for _, a := range d.Audience() {
		if slices.Contains(allowed, a) {
			return true
		}
	}
	return false
}

func validReader(r string) bool {
	if r == ReaderAnalyst {
		return true
	}
	for _, p := range []string{"user:", "agency:"} {
		if id, ok := strings.CutPrefix(r, p); ok {
			n, err := strconv.ParseInt(id, 10, 64)
			return err == nil && n > 0 && strconv.FormatInt(n, 10) == id
		}
	}
	return false
}

func validKind(k string) bool {
	switch k {
	case KindConsultation, KindProposal, KindComment, KindStatement, KindQuestion, KindComplaint, KindDraftUnit, KindDraftInput:
		return true
	}
	return false
}

func validVisibility(v string) bool {
	switch v {
	case VisibilityPublic, VisibilityStaff, VisibilityHidden:
		return true
	}
	id, ok := strings.CutPrefix(v, "group:")
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return err == nil && n > 0
}

// CleanDocument returns d with every string made valid UTF-8 (invalid bytes become
// U+FFFD; see CASES C08) and checks its ID, kind, visibility and language.
func CleanDocument(d Document) (Document, error) {
	fix := func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
	d.ID, d.Kind, d.Title, d.Body = fix(d.ID), fix(d.Kind), fix(d.Title), fix(d.Body)
	d.Status, d.Visibility, d.Language = fix(d.Status), fix(d.Visibility), fix(d.Language)
	topics := make([]string, 0, len(d.Topics))
	for _, t := range d.Topics {
		if t = strings.TrimSpace(fix(t)); t != "" {
			topics = append(topics, t)
		}
	}
	d.Topics = topics
	switch {
	case strings.TrimSpace(d.ID) == "":
		return d, fmt.Errorf("%w: document without ID", ErrInvalid)
	case !validKind(d.Kind):
		return d, fmt.Errorf("%w: document %s: unknown kind %q", ErrInvalid, d.ID, d.Kind)
	case !validVisibility(d.Visibility):
		return d, fmt.Errorf("%w: document %s: bad visibility %q", ErrInvalid, d.ID, d.Visibility)
	case slices.ContainsFunc(d.Readers, func(r string) bool { return !validReader(r) }):
		return d, fmt.Errorf("%w: document %s: bad readers %q", ErrInvalid, d.ID, d.Readers)
	case d.Language != "" && d.Language != "id" && d.Language != "en":
		return d, fmt.Errorf("%w: document %s: language %q (want id, en or empty)", ErrInvalid, d.ID, d.Language)
	}
	return d, nil
}

// NormalizeQuery fills q's defaults, sanitizes its strings and checks its sort
// and paging; errors wrap ErrInvalid. Engines call it first in Search.
func NormalizeQuery(q Query) (Query, error) {
	q.Text = strings.TrimSpace(strings.ToValidUTF8(q.Text, " "))
	if q.Page == 0 {
		q.Page = 1
	}
	if q.PerPage == 0 {
		q.PerPage = DefaultPerPage
	}
	switch {
	case q.Page < 0:
		return q, fmt.Errorf("%w: page %d", ErrInvalid, q.Page)
	case q.PerPage < 0 || q.PerPage > MaxPerPage:
		return q, fmt.Errorf("%w: per page %d (want 1..%d)", ErrInvalid, q.PerPage, MaxPerPage)
	case q.Page*q.PerPage > MaxWindow:
		return q, fmt.Errorf("%w: page %d too deep (at most %d results)", ErrInvalid, q.Page, MaxWindow)
	}
	switch q.Sort {
	case "":
		q.Sort = SortRelevance
		if q.Text == "" {
			q.Sort = SortNewest
		}
	case SortRelevance, SortNewest, SortSupported:
	default:
		return q, fmt.Errorf("%w: sort %q", ErrInvalid, q.Sort)
	}
	q.Kinds, q.Topics, q.Statuses = fixAll(q.Kinds), fixAll(q.Topics), fixAll(q.Statuses)
	return q, nil
}

// fixAll returns a copy of list with every value made valid UTF-8.
func fixAll(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}

// Recover, deferred by an engine method with a named error result, turns a
// panic into that error (CASES C08: one bad document must not stop the
// indexer). what names the operation.
func Recover(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("search: %s: panic: %v", what, r)
	}
}
