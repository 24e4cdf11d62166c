package web

import (
	"fmt"
	"net/http"
	"time"
)

// tzCookie remembers a guest's time zone (an IANA name) chosen with ?tz=;
// signed-in users have theirs in their profile (forum.User.TimeZone).
const tzCookie = "rembug_tz"

// indonesianZones are Indonesia's three time zones and their labels. They
// have had fixed offsets since 1964 (Jakarta) and 1988 (WITA/WIT
// boundaries), so fixed zones are exact and need no tz database.
var indonesianZones = map[string]struct {
	label  string
	offset int
}{
	"Asia/Jakarta": {"WIB", 7}, "Asia/Pontianak": {"WIB", 7},
	"Asia/Makassar": {"WITA", 8}, "Asia/Jayapura": {"WIT", 9},
}

// zone is a viewer's time zone with the label shown next to times.
type zone struct {
	Name  string
	Label string
	loc   *time.Location
}

// zoneNamed returns the zone for an IANA name: WIB, WITA or WIT for
// Indonesia's zones, else the host's zone database with a "UTC+hh:mm" label.
// ok is false for an unknown name.
func zoneNamed(name string) (zone, bool) {
	if z, ok := indonesianZones[name]; ok {
		return zone{Name: name, Label: z.label, loc: time.FixedZone(z.label, z.offset*3600)}, true
	}
	if name == "" || len(name) > 64 {
		return zone{}, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return zone{}, false
	}
	return zone{Name: name, loc: loc}, true
}

// viewerZone picks the zone of the request: ?tz= (remembered in a cookie),
// then the signed-in user's profile time zone, then the cookie, then
// Asia/Jakarta (WIB). A ?tz= link shows one page in another zone; a
// signed-in user's pages otherwise follow their profile.
func (s *Server) viewerZone(w http.ResponseWriter, r *http.Request) zone {
	if z, ok := zoneNamed(r.URL.Query().Get("tz")); ok {
		http.SetCookie(w, &http.Cookie{Name: tzCookie, Value: z.Name, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
		return z
	}
	if u := s.viewerOf(r).User; u != nil {
		if z, ok := zoneNamed(u.TimeZone); ok {
			return z
		}
	}
	if c, err := r.Cookie(tzCookie); err == nil {
		if z, ok := zoneNamed(c.Value); ok {
			return z
		}
	}
	z, _ := zoneNamed("Asia/Jakarta")
	return z
}

// Format shows t in the zone as "31-12-2025 23:59 WIB" (or "… UTC+05:30").
func (z zone) Format(t time.Time) string {
	lt := t.In(z.loc)
	label := z.Label
	if label == "" {
		_, off := lt.Zone()
		sign := '+'
		if off < 0 {
			sign, off = '-', -off
		}
		label = fmt.Sprintf("UTC%c%02d:%02d", sign, off/3600, off%3600/60)
	}
	return lt.Format("02-01-2006 15:04") + " " + label
}

// zoneChoices are the zones offered in the zone switch.
var zoneChoices = []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
