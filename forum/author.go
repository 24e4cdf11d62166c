package forum

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Author is how the author of a comment is shown, as plain text. Name is
// the display name of a signed-in author; it is empty for guests, for
// pseudonymous imported participants and for deleted accounts, which pages
// show as "Peserta <ShortID>" or, when Deleted, as an anonymous former
// account. PublicID is the participant's random public id (never the row
// id). Official marks an author who speaks for the organiser of the
// consultation the content belongs to (see MarkOfficial); pages show it as
// an official reply.
type Author struct {
	Name     string
	PublicID string
	Deleted  bool
	Official bool
}

// ShortID is the first six characters of the public id, enough to tell
// the pseudonymous participants of one thread apart.
func (a Author) ShortID() string {
	if len(a.PublicID) > 6 {
		return a.PublicID[:6]
	}
	return a.PublicID
}

// Authors maps participant ids to their Author; ids that name no
// participant are absent. A user participant takes the user's current
// display name unless the account was deleted (DeleteUser).
func Authors(ctx context.Context, db bun.IDB, ids []int64) (map[int64]Author, error) {
	out := make(map[int64]Author, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID       int64  `bun:"id"`
		PublicID string `bun:"public_id"`
		Name     string `bun:"name"`
		Deleted  int    `bun:"deleted"`
	}
	err := db.NewSelect().TableExpr("participants AS pt").
		Join("LEFT JOIN users AS u ON pt.source = ? AND pt.source_key = CAST(u.id AS VARCHAR(40))", ParticipantUser).
		ColumnExpr("pt.id, pt.public_id").
		ColumnExpr("CASE WHEN u.deleted_at IS NULL THEN COALESCE(u.display_name, '') ELSE '' END AS name").
		ColumnExpr("CASE WHEN u.deleted_at IS NOT NULL THEN 1 ELSE 0 END AS deleted").
		Where("pt.id IN (?)", bun.In(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("authors of %d participants: %w", len(ids), err)
	}
	for _, r := range rows {
		out[r.ID] = Author{Name: r.Name, PublicID: r.PublicID, Deleted: r.Deleted == 1}
	}
	return out, nil
}

// MarkOfficial sets Official on the authors in as (keyed by participant
// id) who are staff of consultation cID: a user with the global role admin
// or moderator, or one named moderator of cID (SetConsultationRole), whose
// account is not deleted. Analysts read but do not reply for the
// organiser, so they are not official.
func MarkOfficial(ctx context.Context, db bun.IDB, cID int64, as map[int64]Author) error {
	if len(as) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(as))
	for id := range as {
		ids = append(ids, id)
	}
	var staff []int64
	err := db.NewSelect().TableExpr("participants AS pt").
		Join("JOIN users AS u ON pt.source = ? AND pt.source_key = CAST(u.id AS VARCHAR(40))", ParticipantUser).
		ColumnExpr("pt.id").
		Where("pt.id IN (?) AND u.deleted_at IS NULL", bun.In(ids)).
		Where("(u.role IN (?, ?) OR u.id IN (SELECT user_id FROM consultation_moderators WHERE consultation_id = ?))", RoleAdmin, RoleModerator, cID).
		Scan(ctx, &staff)
	if err != nil {
		return fmt.Errorf("official authors of consultation %d: %w", cID, err)
	}
	for _, id := range staff {
		a := as[id]
		a.Official = true
		as[id] = a
	}
	return nil
}
