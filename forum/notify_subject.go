package forum

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Subject is what a notification about something outside a
// consultation's proposals is about (an evaluation recommendation, say),
// as its package describes it when the notification is shown or mailed.
type Subject struct {
	// Title is plain text, shown in the notification.
	Title string
	// URL is the site path it links to.
	URL string
	// Item is what the access rule (Can read) is asked about for the
	// recipient, with their rights read then.
	Item Item
}

// SubjectResolver describes the subjects ids of one kind; an id missing
// from the map is gone, and its notifications are neither shown nor sent.
type SubjectResolver func(ctx context.Context, db bun.IDB, ids []int64) (map[int64]Subject, error)

var (
	subjectsMu sync.RWMutex
	subjects   = map[string]SubjectResolver{}
)

// RegisterSubject registers the resolver of notification subjects of kind
// (e.g. "recommendation"); the package owning the subject calls it from
// init. A kind registered twice panics.
func RegisterSubject(kind string, r SubjectResolver) {
	subjectsMu.Lock()
	defer subjectsMu.Unlock()
	if _, dup := subjects[kind]; dup || kind == "" {
		panic("forum: notification subject " + kind + " registered twice")
	}
	subjects[kind] = r
}

func subjectResolver(kind string) SubjectResolver {
	subjectsMu.RLock()
	defer subjectsMu.RUnlock()
	return subjects[kind]
}

// NotifySubject stores, in the caller's transaction tx, one in-app
// notification of kind about subject (subjectKind, subjectID) for each
// of users who may read the subject now: Can read of the subject's Item,
// with each user's rights read in tx (LoadViewers). It is the same list
// the notifications page and the header's unread count read, and each
// Delivery returned may be mailed (the mail queue asks Deliverable again
// before sending). Users deleted or unknown get none.
func NotifySubject(ctx context.Context, tx bun.Tx, users []int64, kind, subjectKind string, subjectID int64, now time.Time) ([]Delivery, error) {
	res := subjectResolver(subjectKind)
	if res == nil {
		return nil, fmt.Errorf("notification subject %q not registered", subjectKind)
	}
	if len(users) == 0 {
		return nil, nil
	}
	subs, err := res(ctx, tx, []int64{subjectID})
	if err != nil {
		return nil, err
	}
	sub, ok := subs[subjectID]
	if !ok {
		return nil, nil
	}
	viewers, err := LoadViewers(ctx, tx, users)
	if err != nil {
		return nil, err
	}
	var out []Delivery
	for _, u := range slices.Sorted(slices.Values(users)) {
		v, ok := viewers[u]
		if !ok || v.User == nil || !v.User.DeletedAt.IsZero() || Can(ctx, v, ActRead, sub.Item) != nil {
			continue
		}
		d := Delivery{Notification: Notification{UserID: u, Kind: kind, SubjectKind: subjectKind, SubjectID: subjectID, CreatedAt: now}, User: v.User, Subject: &sub}
		if _, err := tx.NewInsert().Model(&d.Notification).Returning("id").Exec(ctx); err != nil {
			return nil, fmt.Errorf("insert notification: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// subjectNotifications returns v's newest limit notifications about
// subjects, those whose subject v may read now, described.
func subjectNotifications(ctx context.Context, db bun.IDB, v Viewer, limit int) ([]NotificationView, error) {
	var ns []Notification
	q := db.NewSelect().Model(&ns).Where("n.user_id = ? AND n.subject_kind <> ''", v.User.ID).Order("n.id DESC").Limit(int64(limit))
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("subject notifications of user %d: %w", v.User.ID, err)
	}
	return describeSubjects(ctx, db, v, ns)
}

// describeSubjects keeps the notifications ns whose subject v may read
// now, with the subject's title and link.
func describeSubjects(ctx context.Context, db bun.IDB, v Viewer, ns []Notification) ([]NotificationView, error) {
	ids := map[string][]int64{}
	for _, n := range ns {
		ids[n.SubjectKind] = append(ids[n.SubjectKind], n.SubjectID)
	}
	subs := map[string]map[int64]Subject{}
	for kind, list := range ids {
		res := subjectResolver(kind)
		if res == nil {
			continue
		}
		m, err := res(ctx, db, list)
		if err != nil {
			return nil, err
		}
		subs[kind] = m
	}
	out := make([]NotificationView, 0, len(ns))
	for _, n := range ns {
		sub, ok := subs[n.SubjectKind][n.SubjectID]
		if !ok || Can(ctx, v, ActRead, sub.Item) != nil {
			continue
		}
		out = append(out, NotificationView{Notification: n, SubjectTitle: sub.Title, SubjectURL: sub.URL})
	}
	return out, nil
}
