// Package indicators computes the five service indicators a pemda reports
// on (kepuasan, pengguna aktif, waktu respon, biaya operasional,
// keandalan) straight from the tables that record the service: the
// participation tables of forum, polls and live sessions, the complaint
// tables of forum/complaint, the IKM tables of polls, and three small
// tables of its own for what nothing else records (admin-entered cost
// items, node heartbeats and probe results, incidents). There is no second
// bookkeeping: every figure is a query over those tables at the time of the
// request, cached for a short while (see Cache).
//
// Periods are calendar days, ISO weeks and months in the installation's
// time zone (forum/tz, WIB by default). Counts of people shown to the
// public are pooled below MinCell (see Pool).
//
// Compute is safe for concurrent use; Store serialises nothing itself, each
// write is one transaction.
package indicators
