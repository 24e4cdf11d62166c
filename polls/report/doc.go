// Package report turns a whole consultation into what policymakers read:
// opinion groups (via polls/opinion), participation over time (statement
// votes, proposals, comments, supports, poll responses; by kecamatan where
// participants consented to give it), consensus and divisive statements,
// key terms per group, the most supported proposals with their official
// answers, and every poll's results, as one Report that the web page, the
// API, the CLI (html, md, json, csv) and the open-data export share.
//
// The report is public content: proposals are read through forum's
// visibility rule (forum.ProposalsFor, forum.ProposalFor) with an
// anonymous viewer, so focus-group, pending, hidden and deleted content
// never enters it, whoever reads it; activity counts use the same public
// space (SQL in activity.go); poll results come from polls.Results as on
// each poll's results page, without open-text answers.
//
// Only visible statements and the votes on them enter any figure (CASES
// C19): hidden statements are filtered in the SQL that loads the vote
// matrix, so neither their text nor their votes can leak into groups,
// counts or terms. Degenerate data (no votes, too few participants, no
// variance) yields a Report whose Opinion.Reason says why there are no
// groups (CASES C20); no float in a Report is ever NaN or ±Inf.
//
// Caching: only the vote analysis is cached; Build reads the rest on every
// call. Computing groups for a large consultation takes a noticeable
// fraction of a second, so a Cache keeps the last Analysis per
// consultation keyed by a cheap votes Version (a checksum of the visible
// statements' vote counters, see Version) and at most Settings.MaxAge old. The
// choice is compute-on-read with single flight, not a background worker:
// the first reader that sees a new Version recomputes while concurrent
// readers of the same consultation get the previous Analysis at once (or,
// when there is none yet, wait for that same computation). No goroutine
// outlives a call, so a Cache needs no owner and no stop.
//
// Concurrency: every function is safe for concurrent use; a Cache may be
// shared by all requests of a server.
package report
