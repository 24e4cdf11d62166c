package report

import (
	"io"
	"strings"

	"github.com/rembug/rembug/forum/locale"
)

// mdLabels are the Markdown report's words, Bahasa Indonesia and English.
var mdLabels = map[string]map[string]string{
	"id": {
		"title":                        "Laporan konsultasi",
		"counts":                       "Ringkasan",
		"statements":                   "pernyataan",
		"participants":                 "peserta",
		"votes":                        "suara",
		"participation":                "Partisipasi per hari",
		"no_activity":                  "Tidak ada kegiatan ({n} hari, semua 0)",
		"no_activity_one":              "Tidak ada kegiatan (1 hari, semua 0)",
		"date":                         "Tanggal",
		"new":                          "Peserta baru",
		"th_participants":              "Peserta",
		"th_votes":                     "Suara",
		"groups":                       "Kelompok opini",
		"group":                        "Kelompok",
		"size":                         "anggota",
		"repr":                         "Pernyataan khas",
		"agree":                        "setuju",
		"disagree":                     "tidak setuju",
		"in":                           "di kelompok",
		"out":                          "di luar",
		"terms":                        "Kata kunci",
		"consensus":                    "Pernyataan yang disepakati semua kelompok",
		"majority":                     "Pendapat mayoritas",
		"divisive":                     "Pernyataan yang memecah kelompok",
		"none":                         "Belum ada.",
		"nodata":                       "Belum cukup data untuk kelompok opini",
		"generated":                    "Dibuat",
		"opinion.too_few_participants": "terlalu sedikit peserta yang memberi cukup suara.",
		"opinion.no_variance":          "semua peserta memberi suara yang sama.",
		"opinion.no_distinct_groups":   "tidak ada kelompok yang cukup besar untuk ditampilkan.",
		"active":                       "peserta aktif (semua kegiatan)",
		"th_proposals":                 "Usulan",
		"th_comments":                  "Komentar",
		"proposals":                    "usulan",
		"comments":                     "komentar",
		"supports":                     "dukungan",
		"responses":                    "jawaban survei",
		"regions":                      "Partisipasi per kecamatan",
		"region":                       "Kecamatan",
		"other":                        "Lainnya (kurang dari 3 peserta)",
		"unknown":                      "Tidak diketahui",
		"top":                          "Usulan dengan dukungan terbanyak",
		"title_col":                    "Usulan",
		"status":                       "Status",
		"answer":                       "Tanggapan resmi",
		"polls":                        "Hasil jajak pendapat dan survei",
		"respondents":                  "responden",
		"anonymous":                    "anonim",
		"of":                           "dari",
		"answered":                     "menjawab",
		"st_":                          "belum ditanggapi",
		"st_evaluating":                "sedang dikaji",
		"st_accepted":                  "diterima",
		"st_rejected":                  "ditolak",
		"st_implemented":               "dilaksanakan",
		"st_archived":                  "diarsipkan",
		"open":                         "dibuka",
		"closed":                       "ditutup",
		"not_open":                     "belum dibuka",
	},
	"en": {
		"title":                        "Consultation report",
		"counts":                       "Summary",
		"statements":                   "statements",
		"participants":                 "participants",
		"votes":                        "votes",
		"participation":                "Participation per day",
		"no_activity":                  "No activity ({n} days, all 0)",
		"no_activity_one":              "No activity (1 day, all 0)",
		"date":                         "Date",
		"new":                          "New participants",
		"th_participants":              "Participants",
		"th_votes":                     "Votes",
		"groups":                       "Opinion groups",
		"group":                        "Group",
		"size":                         "members",
		"repr":                         "Representative statements",
		"agree":                        "agree",
		"disagree":                     "disagree",
		"in":                           "in group",
		"out":                          "outside",
		"terms":                        "Key terms",
		"consensus":                    "Statements every group agrees on",
		"majority":                     "Majority opinions",
		"divisive":                     "Statements that divide the groups",
		"none":                         "None yet.",
		"nodata":                       "Not enough data yet for opinion groups",
		"generated":                    "Generated",
		"opinion.too_few_participants": "too few participants have voted enough.",
		"opinion.no_variance":          "every participant voted the same way.",
		"opinion.no_distinct_groups":   "no group is large enough to be shown.",
		"active":                       "active participants (any activity)",
		"th_proposals":                 "Proposals",
		"th_comments":                  "Comments",
		"proposals":                    "proposals",
		"comments":                     "comments",
		"supports":                     "supports",
		"responses":                    "poll responses",
		"regions":                      "Participation by district",
		"region":                       "District (kecamatan)",
		"other":                        "Other (under 3 participants each)",
		"unknown":                      "Unknown",
		"top":                          "Most supported proposals",
		"title_col":                    "Proposal",
		"status":                       "Status",
		"answer":                       "Official answer",
		"polls":                        "Poll and survey results",
		"respondents":                  "respondents",
		"anonymous":                    "anonymous",
		"of":                           "of",
		"answered":                     "answered",
		"st_":                          "no answer yet",
		"st_evaluating":                "under evaluation",
		"st_accepted":                  "accepted",
		"st_rejected":                  "rejected",
		"st_implemented":               "implemented",
		"st_archived":                  "archived",
		"open":                         "open",
		"closed":                       "closed",
		"not_open":                     "not open yet",
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
	if lang != "en" {
		lang = "id"
	}
	l := mdLabels[lang]
	var b strings.Builder
	// Numbers are written the reader's way (%d is "33.343" in Bahasa
	// Indonesia), dates in the installation's zone (forum/locale).
	lf := locale.In(lang)
	p := func(format string, a ...any) { b.WriteString(lf.Sprintf(format, a...)) }
	p("# %s: %s\n\n", l["title"], mdText(r.Consultation.Title))
	p("%s %s.\n\n", l["generated"], lf.Time(r.GeneratedAt))
	p("## %s\n\n- %d %s\n- %d %s\n- %d %s\n", l["counts"], r.Counts.Statements, l["statements"],
		r.Counts.Participants, l["participants"], r.Counts.Votes, l["votes"])
	t := r.Totals
	p("- %d %s\n- %d %s\n- %d %s\n- %d %s\n- %d %s\n\n", t.Participants, l["active"], t.Proposals, l["proposals"],
		t.Comments, l["comments"], t.Supports, l["supports"], t.Responses, l["responses"])
	mdParticipation(p, r, l)
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
	mdProposals(p, r, l)
	mdPolls(p, r, l, lang)
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
