package ikm

// Elements per survey, and the answer scale 1..MaxScore.
const (
	NumElements = 9
	MinScore    = 1
	MaxScore    = 4
)

// Element is one of the nine survey elements (unsur pelayanan) of PermenPANRB 14/2017,
// Lampiran, in the regulation's order.
type Element struct {
	// Code is the stable code "U1".."U9"; it is also the CSV column name (any case).
	Code string `json:"code"`
	// Name is a stable lower-case identifier, e.g. "persyaratan".
	Name string `json:"name"`
	// LabelID and LabelEN are the default element labels in Indonesian and English.
	LabelID string `json:"label_id"`
	LabelEN string `json:"label_en"`
	// AnswersID and AnswersEN label the answer scores 1..4 (index score-1), following
	// the sample questionnaire in the regulation's annex.
	AnswersID [MaxScore]string `json:"answers_id"`
	AnswersEN [MaxScore]string `json:"answers_en"`
}

// Label returns the element label in lang ("id" or English otherwise).
func (e Element) Label(lang string) string {
	if lang == "id" {
		return e.LabelID
	}
	return e.LabelEN
}

// Answer returns the label of score (1..4) in lang, or "" for another score.
func (e Element) Answer(score int, lang string) string {
	if score < MinScore || score > MaxScore {
		return ""
	}
	if lang == "id" {
		return e.AnswersID[score-1]
	}
	return e.AnswersEN[score-1]
}

// Elements returns the nine elements U1..U9 in the regulation's order. The slice is new
// on every call; callers may change it freely.
func Elements() []Element {
	fitID := [MaxScore]string{"Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"}
	fitEN := [MaxScore]string{"Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"}
	return []Element{
		{Code: "U1", Name: "persyaratan", LabelID: "Persyaratan", LabelEN: "Requirements",
			AnswersID: fitID, AnswersEN: fitEN},
		{Code: "U2", Name: "prosedur", LabelID: "Sistem, mekanisme, dan prosedur", LabelEN: "Systems, mechanisms and procedures",
			AnswersID: [MaxScore]string{"Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"},
			AnswersEN: [MaxScore]string{"Not easy", "Less easy", "Easy", "Very easy"}},
		{Code: "U3", Name: "waktu", LabelID: "Waktu penyelesaian", LabelEN: "Completion time",
			AnswersID: [MaxScore]string{"Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"},
			AnswersEN: [MaxScore]string{"Not fast", "Less fast", "Fast", "Very fast"}},
		{Code: "U4", Name: "biaya", LabelID: "Biaya/tarif", LabelEN: "Cost/tariff",
			AnswersID: [MaxScore]string{"Sangat mahal", "Cukup mahal", "Murah", "Gratis"},
			AnswersEN: [MaxScore]string{"Very expensive", "Fairly expensive", "Cheap", "Free"}},
		{Code: "U5", Name: "produk", LabelID: "Produk spesifikasi jenis pelayanan", LabelEN: "Service product specification",
			AnswersID: fitID, AnswersEN: fitEN},
		{Code: "U6", Name: "kompetensi", LabelID: "Kompetensi pelaksana", LabelEN: "Staff competence",
			AnswersID: [MaxScore]string{"Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"},
			AnswersEN: [MaxScore]string{"Not competent", "Less competent", "Competent", "Very competent"}},
		{Code: "U7", Name: "perilaku", LabelID: "Perilaku pelaksana", LabelEN: "Staff conduct",
			AnswersID: [MaxScore]string{"Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"},
			AnswersEN: [MaxScore]string{"Not polite and friendly", "Less polite and friendly", "Polite and friendly", "Very polite and friendly"}},
		{Code: "U8", Name: "pengaduan", LabelID: "Penanganan pengaduan, saran dan masukan", LabelEN: "Handling of complaints, suggestions and feedback",
			AnswersID: [MaxScore]string{"Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"},
			AnswersEN: [MaxScore]string{"None", "Exists but does not work", "Works, not fully", "Well managed"}},
		{Code: "U9", Name: "sarana", LabelID: "Sarana dan prasarana", LabelEN: "Facilities and infrastructure",
			AnswersID: [MaxScore]string{"Buruk", "Cukup", "Baik", "Sangat baik"},
			AnswersEN: [MaxScore]string{"Poor", "Fair", "Good", "Very good"}},
	}
}
