// Package meeting is rembug's meetings (pertemuan) of a consultation, as
// in Decidim: a musyawarah, a public hearing or a workshop held in person
// or online, with its place, its time (stored in UTC, shown in the
// installation's zone through forum/tz), its capacity and a note on the
// venue's accessibility, its agenda, and after it the minutes and who
// attended. Citizens register; once the places are taken they join the
// waiting list in the order they came, and a place given back goes to the
// first of them. Calendar writes meetings as iCalendar (RFC 5545).
//
// Store owns the meeting tables: every exported write checks the viewer
// with forum.Can (item kind forum.ItemMeeting; a meeting of a focus group
// is read by its members and the consultation's moderators only) and runs
// in one transaction with its audit row. A Store is safe for concurrent
// use: the count of taken places is raised by one conditional UPDATE, so
// concurrent registrations never pass the capacity on SQLite or
// PostgreSQL.
package meeting
