// Package forum is rembug's core domain: participants and their identities,
// consultations (konsultasi publik), phases, focus groups, proposals,
// comments, supports, moderation, notifications and follows.
//
// # Writes: the Store
//
// Store (store.go) wraps a *bun.DB and the clock and is safe for concurrent
// use. A write converted to the Store is a Store method that runs in one
// transaction with the rows that belong to it: its audit log entry, its
// search outbox rows and its notification rows. Either all are committed or
// none is; the caller cannot split them, because the statements behind a
// write are unexported functions that take the transaction. Notifications
// come back as Deliveries, to be emailed after the commit.
//
// Converted so far: proposals (CreateProposal, SetAnswer), supports
// (Support, Unsupport), comments (AddComment, EditComment, DeleteComment,
// VoteComment), consultation admin (ConfigureRules, SchedulePhase,
// RemovePhase), focus-group membership (SetMember, RemoveMember),
// moderation (Flag, FlagAuthor, Moderate), follows (Follow) and
// notifications (MarkNotificationsRead). Still functions that take a
// bun.IDB or a *bun.DB from the caller, to be moved the same way: accounts,
// identities, sessions, passwords and sign-in links; consultation create
// and update, files, focus-group creation and invitations; imports
// (UpsertImportedConsultation, EnsureParticipant, MergeParticipant), which
// callers compose inside their own transactions. New writes are Store
// methods from the start.
//
// # Reads: functions over bun.IDB
//
// Reads stay package functions that take a bun.IDB (ConsultationByRef,
// ProposalFor, StageOf, Thread, …). A read decides no transaction,
// and the same function serves a Store write inside its transaction, the
// web layer on the database handle, and polls and realtime/live, which
// check a consultation's visibility and stage inside their own vote
// transactions.
//
// Uniqueness (one participant per source key, one slug per consultation,
// one support per participant and proposal) is enforced by unique indexes in
// the database, not only by checks in code. The package owns its tables and
// their migrations (Migrations, applied by Migrate).
package forum
