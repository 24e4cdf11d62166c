//go:build race

package polis_test

// raceDetector is true under -race, where the largest real conversation
// (225,524 votes through the pure-Go SQLite) takes minutes; .ci/run checks
// it again without the detector, since the import is single-threaded.
const raceDetector = true
