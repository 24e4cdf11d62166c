// Package live holds live Q&A sessions: a session belongs to a consultation
// (or, later, a focus group) and has a short join code; participants ask
// questions (named or anonymous) and upvote them once each; a moderator
// approves, hides, highlights (puts on stage), marks answered, archives,
// edits and merges them, and launches live polls (single or multiple choice,
// rating, word cloud) counted by polls/tally.
//
// Every change is written to the database in one transaction and published
// on the session's realtime channels only after the commit, so a client never
// sees what a restart could lose. Each session has two channels: the public
// one (Channel(id, false)) carries what every participant may see, the
// moderation one (Channel(id, true)) also carries pending and hidden
// questions. Events carry the new version of the item they describe, so a
// client applies them by id and version and snapshots may overlap live events
// (realtime/PROTOCOL.md, "Live sessions").
//
// Live polls use this package's own tables (live_polls, live_poll_answers):
// polls/ had no stable survey API when live sessions were built; the counting
// rules are those of polls/tally, so results match the rest of rembug.
//
// Concurrency: a Service is safe for concurrent use. Upvote and poll counters
// are coalesced (realtime.Coalescer) per item and read back from the database
// when flushed, so a burst of votes becomes a few events a second carrying
// the committed count. Per-user state (a participant's own upvotes and poll
// answers) is sent only to that participant's connections (Hub.SendToUser),
// never broadcast.
package live
