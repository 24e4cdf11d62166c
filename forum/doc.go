// Package forum is rembug's core domain: participants and their identities,
// consultations (konsultasi publik) and, as later parts land, phases, focus
// groups, proposals, comments, supports, moderation and complaints.
//
// A Store wraps a *bun.DB and is safe for concurrent use. Every write that
// matters runs in one transaction; uniqueness (one participant per source key,
// one slug per consultation) is enforced by unique indexes in the database,
// not only by checks in code. The package owns its tables and their
// migrations (Migrations, applied by Migrate).
package forum
