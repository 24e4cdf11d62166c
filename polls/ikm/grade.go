package ikm

// Grade is the service quality (mutu pelayanan) of an IKM value, PermenPANRB 14/2017,
// Lampiran, table of nilai persepsi, interval IKM and kinerja unit pelayanan:
//
//	A  88.31–100.00  sangat baik (very good)
//	B  76.61–88.30   baik (good)
//	C  65.00–76.60   kurang baik (fair)
//	D  25.00–64.99   tidak baik (poor)
//
// "" means no grade (no answers).
type Grade string

// The four grades.
const (
	GradeA Grade = "A"
	GradeB Grade = "B"
	GradeC Grade = "C"
	GradeD Grade = "D"
)

// GradeOf returns the grade of an IKM value in hundredths (e.g. 9148 for 91.48), that
// is of the IKM already rounded to two decimals, so that the bands of the regulation
// leave no gaps: 88.305 rounds to 88.31 and is an A. It returns "" for a value below
// 25.00 or above 100.00.
func GradeOf(hundredths int64) Grade {
	switch {
	case hundredths < 2500 || hundredths > 10000:
		return ""
	case hundredths >= 8831:
		return GradeA
	case hundredths >= 7661:
		return GradeB
	case hundredths >= 6500:
		return GradeC
	}
	return GradeD
}

// Label returns the quality label of g in lang ("id" or English otherwise), or "" for
// no grade.
func (g Grade) Label(lang string) string {
	id := lang == "id"
	pick := func(a, b string) string {
		if id {
			return a
		}
		return b
	}
	switch g {
	case GradeA:
		return pick("Sangat baik", "Very good")
	case GradeB:
		return pick("Baik", "Good")
	case GradeC:
		return pick("Kurang baik", "Fair")
	case GradeD:
		return pick("Tidak baik", "Poor")
	}
	return ""
}
