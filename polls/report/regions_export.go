package report

import (
	"context"

	"github.com/uptrace/bun"
)

// ParticipantRegions maps participant ids to the kecamatan their user gave
// on their profile, for users who consent to region statistics
// (forum.ConsentRegion); names are trimmed. Others are absent.
func ParticipantRegions(ctx context.Context, db bun.IDB) (map[int64]string, error) {
	return loadRegions(ctx, db)
}
