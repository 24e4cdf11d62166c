package report

import (
	"fmt"
	"io"
	"strings"
)

// mdLabels are the Markdown report's words, Bahasa Indonesia and English.
var mdLabels = map[string]map[string]string{
	"id": {
		"title": "Laporan konsultasi", "counts": "Ringkasan", "statements": "pernyataan", "participants": "peserta",
		"votes": "suara", "participation": "Partisipasi per hari", "date": "Tanggal", "new": "Peserta baru",
		"th_participants": "Peserta", "th_votes": "Suara",
		"groups": "Kelompok opini", "group": "Kelompok", "size": "anggota", "repr": "Pernyataan khas",
		"agree": "setuju", "disagree": "tidak setuju", "in": "di kelompok", "out": "di luar", "terms": "Kata kunci",
		"consensus": "Pernyataan yang disepakati semua kelompok", "majority": "Pendapat mayoritas",
		"divisive": "Pernyataan yang memecah kelompok", "none": "Belum ada.",
		"nodata": "Belum cukup data untuk kelompok opini", "generated": "Dibuat",
		"opinion.too_few_participants": "terlalu sedikit peserta yang memberi cukup suara.",
		"opinion.no_variance":          "semua peserta memberi suara yang sama.",
		"opinion.no_distinct_groups":   "tidak ada kelompok yang cukup besar untuk ditampilkan.",
	},
	"en": {
		"title": "Consultation report", "counts": "Summary", "statements": "statements", "participants": "participants",
		"votes": "votes", "participation": "Participation per day", "date": "Date", "new": "New participants",
		"th_participants": "Participants", "th_votes": "Votes",
		"groups": "Opinion groups", "group": "Group", "size": "members", "repr": "Representative statements",
		"agree": "agree", "disagree": "disagree", "in": "in group", "out": "outside", "terms": "Key terms",
		"consensus": "Statements every group agrees on", "majority": "Majority opinions",
		"divisive": "Statements that divide the groups", "none": "None yet.",
		"nodata": "Not enough data yet for opinion groups", "generated": "Generated",
		"opinion.too_few_participants": "too few participants have voted enough.",
		"opinion.no_variance":          "every participant voted the same way.",
		"opinion.no_distinct_groups":   "no group is large enough to be shown.",
	},
}

// ReasonText returns the sentence explaining opinion reason key in lang
// ("id" or "en"; anything else means "id").
func ReasonText(lang, key string) string {
	l, ok := mdLabels[lang]
	if !ok {
		l = mdLabels["id"]
	}
	if t, ok := l[key]; ok {
		return t
	}
	return key
}

// mdText makes user text safe inside one Markdown line or table cell: no
// line breaks, pipes and Markdown/HTML punctuation escaped.
func mdText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]()<>#+-!|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WriteMarkdown writes r as a Markdown document in lang ("id" or "en").
// User text is escaped so it cannot add links, HTML or table columns.
func WriteMarkdown(w io.Writer, r *Report, lang string) error {
	l, ok := mdLabels[lang]
	if !ok {
		l = mdLabels["id"]
	}
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	p("# %s: %s\n\n", l["title"], mdText(r.Consultation.Title))
	p("%s %s.\n\n", l["generated"], r.GeneratedAt.Format("2006-01-02 15:04 MST"))
	p("## %s\n\n- %d %s\n- %d %s\n- %d %s\n\n", l["counts"], r.Counts.Statements, l["statements"],
		r.Counts.Participants, l["participants"], r.Counts.Votes, l["votes"])
	p("## %s\n\n", l["participation"])
	if len(r.Participation) == 0 {
		p("%s\n\n", l["none"])
	} else {
		p("| %s | %s | %s | %s |\n|---|--:|--:|--:|\n", l["date"], l["th_participants"], l["new"], l["th_votes"])
		for _, d := range r.Participation {
			p("| %s | %d | %d | %d |\n", d.Date, d.Participants, d.New, d.Votes)
		}
		p("\n")
	}
	p("## %s\n\n", l["groups"])
	if r.Opinion.Reason != "" {
		p("%s: %s\n\n", l["nodata"], ReasonText(lang, r.Opinion.Reason))
	}
	for _, g := range r.Opinion.Groups {
		p("### %s %s (%d %s)\n\n", l["group"], GroupLetter(g.ID), g.Size, l["size"])
		if len(g.KeyTerms) > 0 {
			terms := make([]string, len(g.KeyTerms))
			for i, t := range g.KeyTerms {
				terms[i] = mdText(t.Term)
			}
			p("%s: %s\n\n", l["terms"], strings.Join(terms, ", "))
		}
		p("%s:\n\n", l["repr"])
		for _, rp := range g.Representative {
			p("- %s (%s: %.0f%% %s, %.0f%% %s)\n", mdText(rp.Text), l[rp.Direction], rp.Share*100, l["in"], rp.ShareOutside*100, l["out"])
		}
		p("\n")
	}
	for _, sec := range []struct {
		key string
		hs  []Highlight
	}{{"consensus", r.Consensus}, {"majority", r.Majority}, {"divisive", r.Divisive}} {
		p("## %s\n\n", l[sec.key])
		if len(sec.hs) == 0 {
			p("%s\n\n", l["none"])
			continue
		}
		for _, h := range sec.hs {
			dir := ""
			if h.Direction != "" {
				dir = l[h.Direction] + ", "
			}
			p("- %s (%s%.0f%%)\n", mdText(h.Text), dir, h.Score*100)
		}
		p("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// GroupLetter names group id 0, 1, 2 ... as A, B, C ... (AA after Z).
func GroupLetter(id int) string {
	if id < 0 {
		return "?"
	}
	s := ""
	for id >= 0 {
		s = string(rune('A'+id%26)) + s
		id = id/26 - 1
	}
	return s
}
