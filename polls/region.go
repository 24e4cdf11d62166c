package polls

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/rembug/rembug/forum"
	"github.com/uptrace/bun"
)

// MinGroupRespondents is the smallest group a region breakdown shows on
// its own: smaller regions are pooled into the "other" group, so that no
// respondent's answers can be singled out by their kecamatan (a
// k-anonymity threshold of 3, the usual minimum cell size of statistical
// disclosure control).
const MinGroupRespondents = 3

// Kinds of a breakdown group (Group.Kind).
const (
	GroupRegion  = "region"  // one kecamatan with at least MinGroupRespondents respondents
	GroupOther   = "other"   // pooled small regions ("Lainnya" / "Other")
	GroupUnknown = "unknown" // guests, and users without a region or without consent ("Tidak diketahui" / "Unknown")
	GroupOption  = "option"  // one answer to a demographic question (ResultsBy); Name is the answer's label
)

// Group is one column of a breakdown: a region, the pooled small regions,
// or the respondents whose region is unknown, with the results of their
// responses (computed by Results, so winners and order follow the same
// rules as the whole survey).
type Group struct {
	Kind string `json:"kind"`
	// Name is the kecamatan as most of its respondents spell it
	// (GroupRegion), or the answer's label (GroupOption, set by the caller).
	Name string `json:"name,omitempty"`
	// Option is the 0-based answer of the demographic question (GroupOption).
	Option int `json:"option,omitempty"`
	// Question is the 0-based index of the breakdown question among the
	// survey's questions (GroupOption), so that HiddenCells treats the
	// tables Q by A and A by Q alike.
	Question    int              `json:"-"`
	Respondents int              `json:"respondents"`
	Results     []QuestionResult `json:"-"`
}

// ErrNoRegionBreakdown refuses a region breakdown of an anonymous survey,
// which keeps no link from a response to a person and so has no region.
var ErrNoRegionBreakdown = invalid("no_region_breakdown", nil)

// AnswersWithRegions returns every response to survey sid in AllAnswers'
// order, and beside each the respondent's kecamatan: the answer to the
// profile question "kecamatan" of the signed-in user who responded, only
// while that user's consent forum.ConsentRegion is active; "" for guests,
// imported participants and users without a region or consent. The region
// is read now, so a withdrawn consent takes effect at once. It reads
// forum's participants, profile_answers and consents tables in one query.
// Anonymous surveys have no region: ErrNoRegionBreakdown.
func AnswersWithRegions(ctx context.Context, db bun.IDB, s *Survey) ([]Answers, []string, error) {
	if s.Anonymous {
		return nil, nil, ErrNoRegionBreakdown
	}
	var rows []struct {
		ID      string `bun:"id"`
		Answers string `bun:"answers"`
		Region  string `bun:"region"`
	}
	err := db.NewRaw(`SELECT r.id, r.answers, COALESCE(pa.answer, '') AS region
		FROM survey_responses AS r
		LEFT JOIN participants AS p ON p.id = r.participant_id AND p.source = ?
		LEFT JOIN profile_answers AS pa ON pa.question = 'kecamatan'
			AND CAST(pa.user_id AS VARCHAR(20)) = p.source_key
			AND EXISTS (SELECT 1 FROM consents AS c WHERE c.user_id = pa.user_id
				AND c.purpose = ? AND c.withdrawn_at IS NULL)
		WHERE r.survey_id = ?
		ORDER BY r.id`, forum.ParticipantUser, forum.ConsentRegion, s.ID).Scan(ctx, &rows)
	if err != nil {
		return nil, nil, fmt.Errorf("responses with regions of survey %d: %w", s.ID, err)
	}
	out, regions := make([]Answers, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Answers), &out[i]); err != nil {
			return nil, nil, fmt.Errorf("decode response %s: %w", r.ID, err)
		}
		regions[i] = strings.TrimSpace(r.Region)
	}
	return out, regions, nil
}

// regionKey folds the spellings of one kecamatan together: case, spacing
// and a leading "Kecamatan" / "Kec." are ignored.
func regionKey(name string) string {
	k := strings.ToLower(strings.Join(strings.Fields(name), " "))
	for _, p := range []string{"kecamatan ", "kec. ", "kec.", "kec "} {
		if rest, ok := strings.CutPrefix(k, p); ok && rest != "" {
			k = rest
			break
		}
	}
	return k
}

// ResultsByRegion splits responses by regions[i] (the region of
// responses[i], "" when unknown; see AnswersWithRegions) and computes
// Results for each group. Regions with fewer than MinGroupRespondents
// respondents are pooled into one GroupOther group; when that pool itself
// holds 1 or 2 respondents, the smallest regions join it until it holds at
// least MinGroupRespondents (or no region is left), so no group shown has
// 1 or 2 respondents from known regions. Groups come in order: regions by
// name, then other, then unknown; empty pooled groups are left out. The
// result is the same whatever the order of the responses. Anonymous
// surveys: ErrNoRegionBreakdown.
func ResultsByRegion(s *Survey, qs []Question, responses []Answers, regions []string) ([]Group, error) {
	if s.Anonymous {
		return nil, ErrNoRegionBreakdown
	}
	if len(regions) != len(responses) {
		return nil, fmt.Errorf("results by region: %d regions for %d responses", len(regions), len(responses))
	}
	members := map[string][]int{}            // region key -> response indexes
	spellings := map[string]map[string]int{} // region key -> spelling -> count
	var unknown []int
	for i, name := range regions {
		k := regionKey(name)
		if k == "" {
			unknown = append(unknown, i)
			continue
		}
		members[k] = append(members[k], i)
		if spellings[k] == nil {
			spellings[k] = map[string]int{}
		}
		spellings[k][strings.Join(strings.Fields(name), " ")]++
	}
	var named []string
	var other []int
	for k, m := range members {
		if len(m) >= MinGroupRespondents {
			named = append(named, k)
		} else {
			other = append(other, m...)
		}
	}
	// Smallest first, ties by key, so that the pool grows deterministically.
	sort.Slice(named, func(i, j int) bool {
		a, b := len(members[named[i]]), len(members[named[j]])
		return a < b || a == b && named[i] < named[j]
	})
	for len(other) > 0 && len(other) < MinGroupRespondents && len(named) > 0 {
		other = append(other, members[named[0]]...)
		named = named[1:]
	}
	var groups []Group
	var parts [][]int
	for _, k := range named {
		groups = append(groups, Group{Kind: GroupRegion, Name: commonest(spellings[k])})
		parts = append(parts, members[k])
	}
	sort.Sort(byName{groups, parts})
	for _, g := range []struct {
		kind string
		idx  []int
	}{{GroupOther, other}, {GroupUnknown, unknown}} {
		if len(g.idx) > 0 {
			groups, parts = append(groups, Group{Kind: g.kind}), append(parts, g.idx)
		}
	}
	for gi, idx := range parts {
		sort.Ints(idx)
		rs := make([]Answers, len(idx))
		for j, i := range idx {
			rs[j] = responses[i]
		}
		res, err := Results(qs, rs)
		if err != nil {
			return nil, err
		}
		groups[gi].Respondents, groups[gi].Results = len(rs), res
	}
	return groups, nil
}

// commonest returns the most used spelling, ties broken by the smallest.
func commonest(sp map[string]int) string {
	best, n := "", 0
	for s, c := range sp {
		if c > n || c == n && s < best {
			best, n = s, c
		}
	}
	return best
}

type byName struct {
	g []Group
	p [][]int
}

func (b byName) Len() int { return len(b.g) }
func (b byName) Less(i, j int) bool {
	return strings.ToLower(b.g[i].Name) < strings.ToLower(b.g[j].Name) ||
		strings.ToLower(b.g[i].Name) == strings.ToLower(b.g[j].Name) && b.g[i].Name < b.g[j].Name
}
func (b byName) Swap(i, j int) { b.g[i], b.g[j] = b.g[j], b.g[i]; b.p[i], b.p[j] = b.p[j], b.p[i] }
