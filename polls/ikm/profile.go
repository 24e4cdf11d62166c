package ikm

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Profile is the respondent profile of the questionnaire. Every field is a stable code
// of the choices below, or an office's own label as printed on its paper form
// ("50+"; ReadCSV keeps those as given); "" means not given.
type Profile struct {
	// AgeBand is one of the codes of AgeBands, e.g. "30-39".
	AgeBand string `json:"age_band"`
	// Sex is "L" (laki-laki, male) or "P" (perempuan, female).
	Sex string `json:"sex"`
	// Education is one of "sd", "smp", "sma", "diploma", "s1", "s2", "s3".
	Education string `json:"education"`
	// Occupation is one of "pns", "tni", "polri", "swasta", "wirausaha", "pelajar",
	// "lainnya".
	Occupation string `json:"occupation"`
}

// Choice is one allowed value of a profile field.
type Choice struct {
	Code    string `json:"code"`
	LabelID string `json:"label_id"`
	LabelEN string `json:"label_en"`
	// aliases are lower-case spellings accepted by the CSV reader besides Code.
	aliases []string
}

// AgeBands returns the age bands, youngest first.
func AgeBands() []Choice {
	return []Choice{
		{Code: "<20", LabelID: "di bawah 20 tahun", LabelEN: "under 20"},
		{Code: "20-29", LabelID: "20–29 tahun", LabelEN: "20–29"},
		{Code: "30-39", LabelID: "30–39 tahun", LabelEN: "30–39"},
		{Code: "40-49", LabelID: "40–49 tahun", LabelEN: "40–49"},
		{Code: "50-59", LabelID: "50–59 tahun", LabelEN: "50–59"},
		{Code: "60+", LabelID: "60 tahun ke atas", LabelEN: "60 and over", aliases: []string{">=60", "≥60"}},
	}
}

// AgeBand returns the code of the band holding age in whole years, or "" for an age
// outside 1..150.
func AgeBand(age int) string {
	switch {
	case age < 1 || age > 150:
		return ""
	case age < 20:
		return "<20"
	case age >= 60:
		return "60+"
	}
	lo := age / 10 * 10
	return strconv.Itoa(lo) + "-" + strconv.Itoa(lo+9)
}

// Sexes returns the values of Profile.Sex.
func Sexes() []Choice {
	return []Choice{
		{Code: "L", LabelID: "Laki-laki", LabelEN: "Male", aliases: []string{"laki-laki", "laki laki", "pria", "m", "male"}},
		{Code: "P", LabelID: "Perempuan", LabelEN: "Female", aliases: []string{"perempuan", "wanita", "f", "female"}},
	}
}

// Educations returns the values of Profile.Education, lowest first.
func Educations() []Choice {
	return []Choice{
		{Code: "sd", LabelID: "SD ke bawah", LabelEN: "Primary school or less", aliases: []string{"sd ke bawah", "tidak sekolah"}},
		{Code: "smp", LabelID: "SMP", LabelEN: "Junior secondary", aliases: []string{"sltp", "mts"}},
		{Code: "sma", LabelID: "SMA", LabelEN: "Senior secondary", aliases: []string{"slta", "smk", "ma"}},
		{Code: "diploma", LabelID: "D1–D4", LabelEN: "Diploma", aliases: []string{"d1", "d2", "d3", "d4", "d1-d3"}},
		{Code: "s1", LabelID: "S1", LabelEN: "Bachelor's degree"},
		{Code: "s2", LabelID: "S2", LabelEN: "Master's degree"},
		{Code: "s3", LabelID: "S3", LabelEN: "Doctorate"},
	}
}

// Occupations returns the values of Profile.Occupation.
func Occupations() []Choice {
	return []Choice{
		{Code: "pns", LabelID: "PNS/ASN", LabelEN: "Civil servant", aliases: []string{"asn", "pns/asn"}},
		{Code: "tni", LabelID: "TNI", LabelEN: "Armed forces"},
		{Code: "polri", LabelID: "POLRI", LabelEN: "Police"},
		{Code: "swasta", LabelID: "Pegawai swasta", LabelEN: "Private employee", aliases: []string{"pegawai swasta", "karyawan swasta"}},
		{Code: "wirausaha", LabelID: "Wirausaha", LabelEN: "Self-employed", aliases: []string{"wiraswasta"}},
		{Code: "pelajar", LabelID: "Pelajar/mahasiswa", LabelEN: "Student", aliases: []string{"mahasiswa", "pelajar/mahasiswa"}},
		{Code: "lainnya", LabelID: "Lainnya", LabelEN: "Other", aliases: []string{"lain-lain", "lain", "other"}},
	}
}

// match returns the code of the choice whose code or alias equals s (trimmed, any
// case), or false.
func match(choices []Choice, s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, c := range choices {
		if strings.ToLower(c.Code) == s {
			return c.Code, true
		}
		for _, a := range c.aliases {
			if a == s {
				return c.Code, true
			}
		}
	}
	return "", false
}

// parseAge accepts whole years (e.g. "34") or an AgeBands code.
func parseAge(s string) (string, bool) {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		band := AgeBand(n)
		return band, band != ""
	}
	return match(AgeBands(), s)
}

// MaxProfileLabelRunes bounds an office's own profile label ("50+",
// "Nelayan", "Pegawai Swasta / Karyawan BUMN / BUMD"), in characters: the
// length the response table stores (polls' ikmLabelWidthMigration).
const MaxProfileLabelRunes = 100

// profileValue returns the value stored for cell s of profile column k (0 age,
// 1 sex, 2 education, 3 occupation): the code of a known choice (whole years
// become an age band), else s itself, trimmed, as the office printed it. ok is
// false for a label longer than MaxProfileLabelRunes.
func profileValue(k int, s string) (string, bool) {
	var code string
	var ok bool
	switch k {
	case 0:
		code, ok = parseAge(s)
	case 1:
		code, ok = match(Sexes(), s)
	case 2:
		code, ok = match(Educations(), s)
	default:
		code, ok = match(Occupations(), s)
	}
	if ok {
		return code, true
	}
	s = strings.TrimSpace(s)
	return s, utf8.RuneCountInString(s) <= MaxProfileLabelRunes
}

// codes lists the codes of choices, for error messages.
func codes(choices []Choice) string {
	out := make([]string, len(choices))
	for i, c := range choices {
		out[i] = c.Code
	}
	return strings.Join(out, ", ")
}
