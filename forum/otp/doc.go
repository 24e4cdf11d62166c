// Package otp signs citizens in with a one-time code (kode sekali pakai):
// six digits sent by email, SMS or WhatsApp, plus, by email, a magic link
// that does the same as typing the code.
//
// A code is valid for TTL (15 minutes), once: using the code or the link
// consumes both. The database keeps only keyed hashes (HMAC-SHA256 under
// the installation key) of the code, the link and the challenge that
// identifies the sign-in in progress, so a copy of the table alone opens
// nothing. Six digits are few, so the real guards are the short life, at
// most MaxAttempts guesses per code (counted in the database before the
// comparison, which is constant-time), and rate limits on asking for codes
// per client address and per destination address.
//
// The address the code went to becomes a verified identity: provider
// "email" or "phone" with the normalized address as subject (forum.Identity).
// A known identity signs its user in; a first sign-in creates a citizen
// (role participant). An email address that already belongs to a citizen's
// account is linked to it, since the code proves control of the same
// address the account holds; staff accounts never sign in this way (they
// keep their password). Nothing a requester sees before entering a valid
// code depends on whether an account exists.
//
// A Store is safe for concurrent use; several nodes may share the database.
package otp
