// Package export writes poll and survey results and responses as CSV
// (RFC 4180) and XLSX (Office Open XML, through github.com/xuri/excelize/v2).
//
// Both formats are built from the same rows (ResultRows, ResponseRows), which
// come from polls.Results, so an export shows the same winner, order and
// outcome label as the page and the API.
//
// Every text cell, headers included, is neutralised against formula
// injection (CASES C06, OWASP "CSV Injection"): a cell that starts with
// '=', '+', '-', '@', a tab or a carriage return gets a leading apostrophe.
// This also applies to Indonesian phone numbers written "+62 812…", which
// therefore appear as "'+62 812…" in both formats, consistently; JSON (the
// API) keeps raw values. Numbers that rembug computes are written as numbers
// and never neutralised.
//
// Functions are pure apart from writing to their io.Writer and are safe for
// concurrent use.
package export
