// Package polls holds what citizens answer: statement voting (agree /
// disagree / pass, as in Pol.is) and, as later parts land, polls, surveys and
// the IKM satisfaction survey. Counting rules live in the subpackages tally
// and ikm, opinion groups in opinion; this package stores and queries.
//
// Every vote is unique per (participant, statement), enforced by the
// database: voting again replaces the earlier vote, and a retry or a double
// click never counts twice. Hidden statements (moderated out) are kept but
// never shown to the public and never counted in public totals. Functions
// take a bun.IDB so that callers can run them inside their own transaction;
// they are safe for concurrent use.
package polls
