package forum

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/rembug/rembug/forum/errs"
)

// ConsentVersion names the consent text an assisted-entry officer reads
// to the citizen before recording for them (translation key
// "assist.consent.text"). Change it together with the text, so that each
// stored entry says which wording the citizen agreed to. The consent is
// the one of UU 27/2022 on personal data protection, art. 20(2)(a): the
// citizen agrees to the processing of what the officer types for them.
const ConsentVersion = "2026-12-v1"

// Assistance is how an entry was assisted: by the officer with user id
// OfficerID, at At (UTC), after the citizen agreed to the consent text of
// version ConsentVersion. The complaint and IKM stores keep it with the
// entry (columns assisted_by, assisted_at, assist_consent); an entry
// without it is self-service.
type Assistance struct {
	OfficerID      int64
	At             time.Time
	ConsentVersion string
}

// Assist checks that v may record an entry for a citizen at the desk and
// that the citizen's consent was given, and returns the Assistance to
// store with the entry at now. Called inside the entry's write
// transaction (ctx from InTx), the access rule reads v's role again there.
// Errors: errs.Invalid "assist.error.consent_required" without consent;
// errs.Forbidden when v is not an assisted-entry officer or admin (Can,
// ActAssist).
func Assist(ctx context.Context, v Viewer, consent bool, now time.Time) (*Assistance, error) {
	if err := Can(ctx, v, ActAssist, Item{Kind: ItemSite}); err != nil {
		return nil, err
	}
	if !consent {
		return nil, errs.E(errs.Invalid, "assist.error.consent_required", nil)
	}
	return &Assistance{OfficerID: v.User.ID, At: now.UTC(), ConsentVersion: ConsentVersion}, nil
}

// AuditKioskStart is the audit action of an officer starting kiosk mode
// on a shared device.
const AuditKioskStart = "kiosk_start"

// StartKiosk records that officer v starts kiosk mode on a shared device
// (audit entry AuditKioskStart on the officer's account), in one
// transaction that checks ActAssist again. errs.Forbidden for a viewer who
// may not assist.
func (s *Store) StartKiosk(ctx context.Context, v Viewer) error {
	return s.inTx(ctx, func(ctx context.Context, tx bun.Tx, now time.Time) error {
		if err := Can(ctx, v, ActAssist, Item{Kind: ItemSite}); err != nil {
			return err
		}
		return audit(ctx, tx, v, AuditKioskStart, "user", v.User.ID, 0, "", now)
	})
}
