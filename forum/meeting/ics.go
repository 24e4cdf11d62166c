package meeting

import (
	"fmt"
	"strings"

	ics "github.com/arran4/golang-ical"
)

// Calendar writes meetings as an iCalendar (RFC 5545) VCALENDAR with one
// VEVENT each: UID "meeting-<id>@<host>", DTSTART/DTEND in UTC, SUMMARY,
// LOCATION (the place, or the online link), DESCRIPTION (the agenda and
// the accessibility note) and URL (base + the meeting's path). name is the
// calendar's name (X-WR-CALNAME); base is the site's origin
// ("https://rembug.example.go.id"). The caller passes only meetings the
// viewer reads.
func Calendar(name, base, slug string, ms []Meeting) string {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//rembug//pertemuan//ID")
	cal.SetXWRCalName(name)
	cal.SetXWRTimezone("Asia/Jakarta")
	host := strings.TrimPrefix(strings.TrimPrefix(base, "https://"), "http://")
	for _, m := range ms {
		e := cal.AddEvent(fmt.Sprintf("meeting-%d@%s", m.ID, host))
		e.SetDtStampTime(m.UpdatedAt)
		e.SetStartAt(m.StartsAt)
		e.SetEndAt(m.EndsAt)
		e.SetSummary(m.Title)
		loc := m.Place
		if m.Mode == ModeOnline {
			loc = m.OnlineURL
		}
		e.SetLocation(loc)
		desc := m.Agenda
		if m.Accessibility != "" {
			desc = strings.TrimSpace(desc + "\n\nAksesibilitas: " + m.Accessibility)
		}
		e.SetDescription(desc)
		e.SetURL(base + Path(slug, m.ID))
	}
	return cal.Serialize()
}

// Path is the page of meeting id in the consultation with slug.
func Path(slug string, id int64) string { return fmt.Sprintf("/k/%s/pertemuan/%d", slug, id) }
