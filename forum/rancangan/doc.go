// Package rancangan is rembug's draft regulations (rancangan peraturan
// daerah, raperda): a consultation's draft text split into its units (BAB,
// Bagian, Pasal, ayat, Penjelasan) with stable anchors, its versions (v1,
// v2, …) and the difference between them, the citizens' inputs on each
// unit (a stance — setuju, tidak setuju, usul ubah — a comment, and an
// amendment text others support), the drafters' answer to each input
// (diterima, diterima sebagian, tidak diterima, di luar lingkup) with its
// reason and the version where it took effect, and the participation
// matrix (matriks tanggapan) that lists them all.
//
// UU 13/2022, amending UU 12/2011 (Pasal 96), gives the public the right
// to be heard, to have its views considered and to an explanation of how
// they were; the matrix is that explanation.
//
// Parse is a pure function. Store owns the rancangan tables: every
// exported write runs in one transaction with its audit row (forum's
// audit_log), its notifications and, through triggers, its search outbox
// rows. Who reads or writes what is decided by forum.Can with the item
// kinds forum.ItemDraftText and forum.ItemDraftInput. A Store is safe for
// concurrent use; a support is counted once per participant however often
// it is sent.
package rancangan
