// Package messaging sends short messages to people outside the site: email,
// SMS and WhatsApp. It is how one-time sign-in codes reach citizens and how
// other parts of rembug (complaint replies, invitations) reach them later.
//
// The contract has three parts:
//
//   - Message is one outbound message to one address: an email address, or
//     a phone number in E.164 form (+6281234567890, see NormalizePhone).
//   - Sender delivers a Message over one channel. Real senders wrap a
//     provider's HTTP API (Twilio and Zenziva for SMS, the WhatsApp Business
//     Cloud API) or an SMTP server; Development writes messages to the log
//     instead. Only cmd builds senders, from REMBUG_* settings.
//   - The outbox (table message_outbox) makes sending durable. A caller
//     writes a message with Enqueue in the same transaction as the change
//     that causes it, so a message exists exactly when the change committed.
//     An Outbox worker then delivers each row once, retrying failures with
//     exponential backoff while the provider is down, and stops retrying
//     when the message expires (a sign-in code after 15 minutes) or fails
//     permanently. Rows are claimed with a lease, so several nodes can run
//     workers on one database without sending a row twice; a node that
//     dies in the middle of a send leaves the row to be retried when the
//     lease ends (at least once, in that one case).
//
// When no sender is configured at all, the outbox runs in development mode:
// every channel is delivered by Development, so codes appear in the server
// log and on the staff outbox page, and nothing leaves the machine.
//
// Concurrency: senders and Outbox are safe for concurrent use; an Outbox's
// Run loop is owned by whoever starts it and stops with its context.
package messaging
