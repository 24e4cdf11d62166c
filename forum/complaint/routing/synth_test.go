package routing

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// The routing tests need complaint texts with their agencies. The team has
// no real Indonesian complaint texts it may ship (the Surabaya records carry
// no text), so the tests generate them: each agency has a few topics, each
// topic a few concepts written in their Indonesian affixed forms
// (rusak / kerusakan / dirusak …), mixed with words every complaint uses,
// stop words, place names and typos; agency sizes follow a Zipf law as in
// the Surabaya records; one in ten labels is wrong, as when a complaint was
// routed to the wrong OPD. Training and held-out texts draw different
// affixed forms more often, so a model only generalizes by reading roots.
type synthAgency struct {
	name   string
	topics map[string][][]string // topic → concepts → affixed forms
}

var synthAgencies = []synthAgency{
	{"Dinas Sumber Daya Air dan Bina Marga", map[string][][]string{
		"Jalan Rusak dan Berlubang": {{"rusak", "kerusakan", "dirusak", "merusak"}, {"lubang", "berlubang", "lubangnya"}, {"aspal", "diaspal", "pengaspalan", "aspalnya"}},
		"Saluran dan Banjir":        {{"saluran", "salurannya"}, {"banjir", "kebanjiran", "membanjiri"}, {"genang", "genangan", "tergenang", "menggenang"}}}},
	{"Dinas Perhubungan", map[string][][]string{
		"PJU":         {{"lampu", "lampunya"}, {"mati", "kematian", "dimatikan"}, {"terang", "penerangan", "menerangi"}},
		"Lalu Lintas": {{"parkir", "parkiran", "diparkir", "perparkiran"}, {"macet", "kemacetan"}, {"rambu", "rambunya"}}}},
	{"Dinas Lingkungan Hidup", map[string][][]string{
		"Sampah":        {{"sampah", "sampahnya", "persampahan"}, {"angkut", "diangkut", "pengangkutan", "mengangkut"}, {"bau", "berbau", "bauan"}},
		"Pohon Tumbang": {{"pohon", "pepohonan", "pohonnya"}, {"tumbang", "ditumbangkan"}, {"ranting", "rantingnya"}}}},
	{"Bagian Perekonomian dan Sumber Daya Alam", map[string][][]string{
		"Pelayanan PDAM": {{"air", "airnya", "perairan"}, {"alir", "mengalir", "aliran", "dialirkan"}, {"keruh", "kekeruhan", "mengeruh"}}}},
	{"Dinas Kependudukan dan Pencatatan Sipil", map[string][][]string{
		"KTP-el":         {{"ktp", "ktpnya"}, {"cetak", "dicetak", "pencetakan", "mencetak"}, {"rekam", "perekaman", "direkam"}},
		"Akta Kelahiran": {{"akta", "aktanya"}, {"lahir", "kelahiran", "dilahirkan"}, {"urus", "mengurus", "pengurusan", "diurus"}}}},
	{"Satuan Polisi Pamong Praja", map[string][][]string{
		"PKL":           {{"pedagang", "berdagang", "dagangan", "perdagangan"}, {"trotoar", "trotoarnya"}, {"tertib", "ketertiban", "ditertibkan", "penertiban"}},
		"Bangunan Liar": {{"bangun", "bangunan", "dibangun", "pembangunan"}, {"liar", "keliaran"}, {"bongkar", "dibongkar", "pembongkaran"}}}},
	{"Dinas Kesehatan", map[string][][]string{
		"Puskesmas": {{"puskesmas", "puskesmasnya"}, {"layan", "pelayanan", "dilayani", "melayani"}, {"obat", "pengobatan", "diobati"}}}},
	{"Dinas Pendidikan", map[string][][]string{
		"PPDB": {{"sekolah", "sekolahnya", "bersekolah"}, {"daftar", "pendaftaran", "mendaftar", "didaftarkan"}, {"zonasi", "zonasinya"}}}},
	{"Dinas Sosial", map[string][][]string{
		"Bantuan Sosial": {{"bantu", "bantuan", "dibantu", "membantu"}, {"terima", "penerimaan", "diterima", "menerima"}, {"miskin", "kemiskinan"}}}},
	{"Badan Pendapatan Daerah", map[string][][]string{
		"PBB": {{"pajak", "perpajakan", "pajaknya"}, {"bayar", "pembayaran", "dibayar", "membayar"}, {"tagih", "tagihan", "ditagih", "penagihan"}}}},
	{"Kecamatan Tandes", map[string][][]string{
		"Administrasi Kecamatan": {{"surat", "suratnya", "persuratan"}, {"antar", "pengantar", "diantar"}, {"tanda", "ditandatangani", "penandatanganan"}}}},
	{"Dinas Perumahan Rakyat dan Kawasan Permukiman", map[string][][]string{
		"Rusunawa": {{"rusun", "rusunawa"}, {"sewa", "penyewa", "disewakan", "menyewa"}, {"huni", "penghuni", "dihuni"}}}},
}

var synthCommon = []string{"mohon", "tolong", "segera", "warga", "kami", "bapak", "ibu", "sudah", "lama", "belum",
	"ditindaklanjuti", "tindak", "lanjut", "lokasi", "depan", "rumah", "gang", "RT", "RW", "kelurahan", "terima", "kasih",
	"pak", "bu", "laporan", "melaporkan", "dilaporkan", "sejak", "minggu", "bulan", "hari", "kemarin", "jalan", "dekat",
	"kantor", "masalah", "keluhan", "mengeluh", "dikeluhkan", "petugas", "pemkot", "surabaya", "tidak", "ada", "respon",
	"air", "lampu", "sampah", "bantuan", "layanan", "pelayanan", "daftar", "bayar", "surat"}

var synthStop = []string{"yang", "dan", "di", "ke", "dari", "ini", "itu", "untuk", "dengan", "karena", "sangat", "agar", "pada"}

var synthPlaces = []string{"Tandes", "Wonocolo", "Pakal", "Tambaksari", "Rungkut", "Gubeng", "Sukolilo", "Kenjeran",
	"Benowo", "Lakarsantri", "Darmo", "Ngagel", "Kertajaya", "Manyar", "Mulyorejo"}

type synthDoc struct{ text, agency, topic string }

// synthesize returns n complaints; heldOut draws the affixed forms from the
// other end of each concept's list than training does.
func synthesize(r *rand.Rand, n int, heldOut bool) []synthDoc {
	zipf := rand.NewZipf(r, 1.3, 2, uint64(len(synthAgencies)-1))
	docs := make([]synthDoc, n)
	for i := range docs {
		ag := synthAgencies[zipf.Uint64()]
		var topics []string
		for t := range ag.topics {
			topics = append(topics, t)
		}
		// map order is random; sort for reproducibility
		sortStrings(topics)
		topic := topics[r.IntN(len(topics))]
		var words []string
		for _, concept := range ag.topics[topic] {
			if r.Float64() < 0.75 {
				words = append(words, pickForm(r, concept, heldOut))
			}
		}
		for j := 4 + r.IntN(10); j > 0; j-- {
			words = append(words, synthCommon[r.IntN(len(synthCommon))])
		}
		for j := 2 + r.IntN(5); j > 0; j-- {
			words = append(words, synthStop[r.IntN(len(synthStop))])
		}
		words = append(words, synthPlaces[r.IntN(len(synthPlaces))])
		// A word from another agency's concepts: real complaints mention
		// several things.
		other := synthAgencies[r.IntN(len(synthAgencies))]
		for _, cs := range other.topics {
			words = append(words, pickForm(r, cs[r.IntN(len(cs))], heldOut))
			break
		}
		r.Shuffle(len(words), func(a, b int) { words[a], words[b] = words[b], words[a] })
		label := ag.name
		if r.Float64() < 0.1 {
			label = synthAgencies[r.IntN(len(synthAgencies))].name
		}
		docs[i] = synthDoc{text: fmt.Sprintf("%s.", strings.Join(words, " ")), agency: label, topic: topic}
	}
	return docs
}

func pickForm(r *rand.Rand, forms []string, heldOut bool) string {
	// Training mostly sees the first forms, held-out texts the last ones.
	i := int(float64(len(forms)) * r.Float64() * r.Float64())
	if heldOut {
		i = len(forms) - 1 - i
	}
	return forms[i]
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
