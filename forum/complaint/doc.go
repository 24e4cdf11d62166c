// Package complaint is rembug's complaint system (pengaduan): intake from
// every channel with a tracking number (ADU-YYYY-NNNNNN) and a guest
// tracking secret, the SP4N-LAPOR! workflow (received → verified → routed
// to one or several agencies → in progress → answered → closed; reopen,
// reject, merge), agencies (OPD) and their officers, topics with service
// targets in working days (package workday), internal notes, canned
// responses, and the periodic deadline, auto-close and erasure jobs.
//
// Store owns the complaint tables: every exported write runs in one
// transaction with an audit row (forum's audit_log), the citizen's message
// when the change is one they hear about (forum/messaging's outbox,
// delivered after the commit) and the staff's in-app notifications
// (complaint_notifications).
// Access is the one rule for who sees and does what to a complaint;
// complaints are private by default.
//
// A Store is safe for concurrent use; tracking numbers are allocated
// without gaps or duplicates under concurrent intake on SQLite and
// PostgreSQL.
package complaint
