package complaint

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/errs"
)

// publicWhere is the rule of which complaints the public sees (the public
// list, its statistics and its map): the reporter chose public, did not ask
// for confidentiality, and the complaint was neither rejected nor merged.
// p prefixes the complaints table's columns ("" or "c."). This is the one
// place that rule is written.
func publicWhere(p string) string {
	return p + "public AND NOT " + p + "confidential AND " + p + "status NOT IN ('" +
		string(StatusRejected) + "', '" + string(StatusMerged) + "')"
}

// MapCellDeg is the public map's grid step in degrees of latitude and of
// longitude: 0.0025° is about 278 m north–south and, in Indonesia (within
// 11° of the equator), 273–278 m east–west.
const MapCellDeg = 0.0025

// MinMapCell is the fewest complaints a map cell must hold to be drawn;
// smaller cells are only counted in their kecamatan's total, so a drawn
// circle never points at one or two households.
const MinMapCell = 3

// MapFilter narrows the public map and the public counts: a topic, a
// status, an agency the complaint is routed to, a kecamatan (exact name),
// and received in [From, To) (local dates). Zero fields do not filter.
// The public list's Filter has the same fields (Filter.Narrowing).
type MapFilter struct {
	TopicID   int64
	Status    Status
	AgencyID  int64
	Kecamatan string
	From, To  time.Time
}

// narrowSQL is the condition of f over the complaints table's columns
// prefixed p ("" or "c."), with its arguments ("TRUE" when nothing
// filters): the one writing of the filters the list, the public counts and
// the public map share. errs.Invalid "complaint.error.status" for an
// unknown status.
func (s *Store) narrowSQL(p string, f MapFilter) (string, []any, error) {
	conds, args := []string{"TRUE"}, []any(nil)
	add := func(cond string, arg any) {
		conds, args = append(conds, cond), append(args, arg)
	}
	if f.Status != "" {
		if !slices.Contains(Statuses, f.Status) {
			return "", nil, errs.E(errs.Invalid, "complaint.error.status", nil)
		}
		add(p+"status = ?", f.Status)
	}
	if f.TopicID != 0 {
		add(p+"topic_id = ?", f.TopicID)
	}
	if f.AgencyID != 0 {
		add(p+"id IN (SELECT complaint_id FROM complaint_routes WHERE agency_id = ?)", f.AgencyID)
	}
	if f.Kecamatan != "" {
		add(p+"area_id IN (SELECT id FROM complaint_areas WHERE kecamatan = ?)", f.Kecamatan)
	}
	if !f.From.IsZero() {
		add(p+"received_at >= ?", s.localMidnight(f.From))
	}
	if !f.To.IsZero() {
		add(p+"received_at < ?", s.localMidnight(f.To))
	}
	return strings.Join(conds, " AND "), args, nil
}

// MapCell is one drawn grid cell: its bounds in degrees (WGS 84) and how
// many complaints lie in it (at least MinMapCell).
type MapCell struct {
	South, West, North, East float64
	Count                    int
}

// MapCount is one row of the map's tables: a kecamatan (or topic) name ("" for
// none), its located complaints, and how many of them are in a drawn cell.
type MapCount struct {
	Key   string
	Count int
	Drawn int
}

// PublicMap is the public map's data: the drawn cells, the extent of the
// drawn cells (zero when none), the counts per kecamatan and per topic of
// every located public complaint, and how many are in cells too small to draw.
type PublicMap struct {
	Cells                    []MapCell
	South, West, North, East float64
	ByKecamatan, ByTopic     []MapCount
	Located, Hidden          int
}

// PublicMap aggregates the located public complaints (publicWhere) matching
// f into grid cells of MapCellDeg, drawing only cells with at least
// MinMapCell complaints; no stored coordinate leaves this function, only
// cell bounds. errs.ErrNotFound unless the pemda publishes complaints;
// errs.Invalid for an unknown status.
func (s *Store) PublicMap(ctx context.Context, f MapFilter) (PublicMap, error) {
	if !s.cfg.PublicList {
		return PublicMap{}, errs.ErrNotFound
	}
	q := `SELECT c.latitude, c.longitude, COALESCE(ar.kecamatan, '') AS kec, COALESCE(tp.name, '') AS topic
		FROM complaints c
		LEFT JOIN complaint_topics tp ON tp.id = c.topic_id
		LEFT JOIN complaint_areas ar ON ar.id = c.area_id
		WHERE ` + publicWhere("c.") + ` AND c.latitude IS NOT NULL AND c.longitude IS NOT NULL`
	cond, args, err := s.narrowSQL("c.", f)
	if err != nil {
		return PublicMap{}, err
	}
	q += " AND " + cond
	var rows []struct {
		Lat   float64 `bun:"latitude"`
		Lon   float64 `bun:"longitude"`
		Kec   string  `bun:"kec"`
		Topic string  `bun:"topic"`
	}
	if err := s.db.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return PublicMap{}, fmt.Errorf("public complaint map: %w", err)
	}
	type key struct{ i, j int64 }
	cellOf := func(lat, lon float64) key {
		return key{int64(math.Floor(lat / MapCellDeg)), int64(math.Floor(lon / MapCellDeg))}
	}
	n := map[key]int{}
	for _, r := range rows {
		n[cellOf(r.Lat, r.Lon)]++
	}
	var m PublicMap
	kec, top := map[string]*MapCount{}, map[string]*MapCount{}
	for _, r := range rows {
		drawn := 0
		if n[cellOf(r.Lat, r.Lon)] >= MinMapCell {
			drawn = 1
		} else {
			m.Hidden++
		}
		m.Located++
		for _, t := range []struct {
			m map[string]*MapCount
			k string
		}{{kec, r.Kec}, {top, r.Topic}} {
			c := t.m[t.k]
			if c == nil {
				c = &MapCount{Key: t.k}
				t.m[t.k] = c
			}
			c.Count++
			c.Drawn += drawn
		}
	}
	for k, c := range n {
		if c < MinMapCell {
			continue
		}
		m.Cells = append(m.Cells, MapCell{South: float64(k.i) * MapCellDeg, West: float64(k.j) * MapCellDeg,
			North: float64(k.i+1) * MapCellDeg, East: float64(k.j+1) * MapCellDeg, Count: c})
	}
	sort.Slice(m.Cells, func(a, b int) bool {
		if m.Cells[a].South != m.Cells[b].South {
			return m.Cells[a].South > m.Cells[b].South
		}
		return m.Cells[a].West < m.Cells[b].West
	})
	for i, c := range m.Cells {
		if i == 0 || c.South < m.South {
			m.South = c.South
		}
		if i == 0 || c.North > m.North {
			m.North = c.North
		}
		if i == 0 || c.West < m.West {
			m.West = c.West
		}
		if i == 0 || c.East > m.East {
			m.East = c.East
		}
	}
	m.ByKecamatan, m.ByTopic = sortCounts(kec), sortCounts(top)
	return m, nil
}

// sortCounts returns the counts largest first, then by name.
func sortCounts(m map[string]*MapCount) []MapCount {
	out := make([]MapCount, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Count != out[b].Count {
			return out[a].Count > out[b].Count
		}
		return out[a].Key < out[b].Key
	})
	return out
}
