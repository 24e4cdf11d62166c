// Package tally holds the counting rules of rembug's polls and surveys: plurality,
// approval and yes/no counts; ranked choice by instant-runoff (IRV), Borda count and
// Schulze; rating, Likert and Net Promoter Score summaries; word-cloud normalization;
// and percent rounding for display.
//
// Every page, live update, export, email and API response derives its numbers from the
// results of this package, so that all of them show the same winner, the same order and
// the same label (see Outcome and Summary). Options are identified by their 0-based
// index in the poll's option order; the caller maps indices to its own option ids.
//
// Results never carry NaN or Inf: an empty poll yields a result with NoVotes set and
// zero shares, never an error. Invalid ballots yield a *BallotError.
//
// All functions are pure: they read their arguments, never modify them, keep no
// package-level state and are safe to call from many goroutines at once.
package tally
