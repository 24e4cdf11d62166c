package web

import (
	"net/http"

	"github.com/rembug/rembug/forum/tz"
)

// tzCookie remembers a guest's time zone (an IANA name) chosen with ?tz=;
// signed-in users have theirs in their profile (forum.User.TimeZone).
const tzCookie = "rembug_tz"

// zone is a viewer's time zone with the label shown next to times (the
// one rule lives in forum/tz).
type zone = tz.Zone

// zoneNamed returns the zone for an IANA name; ok is false for an unknown name.
func zoneNamed(name string) (zone, bool) { return tz.Named(name) }

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
	return tz.Default()
}

// zoneChoices are the zones offered in the zone switch.
var zoneChoices = []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}
