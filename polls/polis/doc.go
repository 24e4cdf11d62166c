// Package polis reads Pol.is open-data exports (the format published in
// github.com/compdemocracy/openData: summary.csv, comments.csv, votes.csv and
// participants-votes.csv) into rembug, one conversation as one consultation.
//
// An import is all or nothing: every file is parsed and checked first, and
// everything is written in one transaction, so a malformed file leaves the
// database as it was and the error names the file and row. Importing the same
// folder again changes nothing: rows are keyed by the source's own ids.
package polis
