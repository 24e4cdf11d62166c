//go:build !race

package polis_test

const raceDetector = false
