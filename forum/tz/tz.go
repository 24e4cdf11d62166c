// Package tz is rembug's one rule for time zones: Indonesia's three zones
// with their labels (WIB, WITA, WIT), other IANA zones from the host's
// database, and the installation's default zone (Asia/Jakarta, WIB) in
// which pages, reports and indicator periods are calendar days, weeks and
// months. It is a leaf: every layer may use it. Values are immutable and
// safe for concurrent use.
package tz

import (
	"fmt"
	"time"
)

// DefaultName is the installation's time zone unless configured otherwise.
const DefaultName = "Asia/Jakarta"

// indonesianZones are Indonesia's time zones with their labels, built once:
// pages format every time through Default, so a fresh FixedZone per call
// was work on the hot path. They have had fixed offsets since 1964
// (Jakarta) and 1988 (WITA/WIT boundaries), so fixed zones are exact and
// need no tz database.
var indonesianZones = func() map[string]Zone {
	zones := map[string]Zone{}
	for _, z := range []struct {
		name, label string
		offset      int
	}{
		{"Asia/Jakarta", "WIB", 7}, {"Asia/Pontianak", "WIB", 7},
		{"Asia/Makassar", "WITA", 8}, {"Asia/Jayapura", "WIT", 9},
	} {
		zones[z.name] = Zone{Name: z.name, Label: z.label, Loc: time.FixedZone(z.label, z.offset*3600)}
	}
	return zones
}()

// Zone is a time zone with the label shown next to times ("" for zones
// outside Indonesia, which Format labels "UTC+hh:mm").
type Zone struct {
	Name  string
	Label string
	Loc   *time.Location
}

// Named returns the zone for an IANA name: WIB, WITA or WIT for
// Indonesia's zones, else the host's zone database. ok is false for an
// unknown name.
func Named(name string) (Zone, bool) {
	if z, ok := indonesianZones[name]; ok {
		return z, true
	}
	if name == "" || len(name) > 64 {
		return Zone{}, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return Zone{}, false
	}
	return Zone{Name: name, Loc: loc}, true
}

// Default returns the installation's zone, Asia/Jakarta (WIB).
func Default() Zone {
	z, _ := Named(DefaultName)
	return z
}

// LabelAt is the label shown after a time t of this zone: WIB, WITA or
// WIT in Indonesia, else "UTC+hh:mm" (the offset in effect at t).
func (z Zone) LabelAt(t time.Time) string {
	if z.Label != "" {
		return z.Label
	}
	_, off := t.In(z.Loc).Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
}

// Format shows t in the zone as "31-12-2025 23:59 WIB" (or "… UTC+05:30"),
// the same in every language: for logs and command-line output. Pages and
// reports for people use forum/locale, which writes the viewer's language.
func (z Zone) Format(t time.Time) string {
	return t.In(z.Loc).Format("02-01-2006 15:04") + " " + z.LabelAt(t)
}
