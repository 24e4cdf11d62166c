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
// Concurrency: a Service is safe for concurrent use. Upvotes go through one
// writer goroutine per Service (per node) that commits every upvote waiting
// in one transaction (group commit) and acknowledges each only after that
// commit; the session's and question's state an upvote needs come from a
// small per-node cache with a short TTL (Options.CacheTTL) that any node
// rebuilds from the database. Upvote counts are coalesced per session into
// at most a few "upvotes" events a second, poll results per poll
// (realtime.Coalescer), read back from the database when flushed so events
// carry committed values. Per-user state (a participant's own upvotes and
// poll answers) is sent through the broker to that participant's
// connections on every node (Hub.PublishToUser), never broadcast. Close
// commits the upvotes already submitted, then flushes pending events.
package live
