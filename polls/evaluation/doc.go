// Package evaluation runs the periodic evaluation of the service (siklus
// evaluasi), as the six-monthly evaluation of a pemda's public service
// does: plan, collect, analyse, report, follow up.
//
//   - A Cycle covers a period ("Semester I 2026", [From, To) in the
//     installation's zone) with a plan (schedule and instruments, as text)
//     and a target per headline Metric.
//   - Closing a cycle computes the five indicators of polls/indicators for
//     its period once and stores them as the cycle's snapshot (JSON of
//     indicators.Report). Nothing rewrites a snapshot afterwards: the
//     report of a closed cycle reads the snapshot, never the live tables.
//   - Analyse compares each Metric of a snapshot with its target and with
//     the previous closed cycle's snapshot, and flags the ones that got
//     worse.
//   - Findings (temuan) and recommendations (rekomendasi) are written by
//     admins; a recommendation has an owner (an agency), a due date, a
//     status (planned, in progress, done, dropped with a reason) and
//     progress updates, as Decidim's accountability results have. The next
//     cycle's report opens with the previous cycle's recommendations and
//     what became of them.
//   - A published cycle's report is public (forum.ItemEvaluation); its
//     figures then go through indicators.Report.Redacted, so no public cell
//     describes fewer than indicators.MinCell people.
//
// Store writes each change in one transaction with its audit row; the
// reads are plain queries and safe for concurrent use.
package evaluation
