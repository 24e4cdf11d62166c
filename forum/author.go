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
// id).
type Author struct {
	Name     string
	PublicID string
	Deleted  bool
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
