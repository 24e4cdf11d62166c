package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rembug/rembug/forum/complaint"
	"github.com/rembug/rembug/forum/errs"
)

// complaintSecretCookie holds a guest's tracking secret for one complaint,
// scoped to that complaint's pages, so that the secret never travels in a
// URL.
const complaintSecretCookie = "rembug_adu"

// complaintFormData is the intake form's data.
type complaintFormData struct {
	Kecamatan []kecamatanChoice // the picker: each kecamatan with its kelurahan
	SignedIn  bool
	MaxPhotos int
	PhotoMB   int
}

// handleComplaintForm shows the intake form: guests and signed-in users
// alike, contact details optional.
func (s *Server) handleComplaintForm(w http.ResponseWriter, r *http.Request) {
	areas, err := s.complaints.Areas(r.Context())
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "complaint_new", s.msgs.T(info(r).lang, "complaint.new.title"),
		complaintFormData{Kecamatan: kecamatanChoices(areas), SignedIn: s.viewerOf(r).User != nil,
			MaxPhotos: complaint.MaxPhotos, PhotoMB: complaint.MaxPhotoBytes >> 20})
}

// handleComplaintCreate files a complaint from the form (guests limited
// per address like the JSON intake, refusals on their own budget), with up to complaint.MaxPhotos photos
// when the form comes as multipart, keeps the tracking secret in a cookie
// scoped to the complaint and redirects to its page, which shows the number
// and the secret once.
func (s *Server) handleComplaintCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if v.User == nil {
		if err := s.limitComplaintIntake(r); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	fail := func(err error) { s.intakeRefused(r, v.User == nil, err); s.serveError(w, r, err) }
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTime)) //nolint:errcheck // not every writer supports it
	photos, err := complaintPhotos(r)
	if err != nil {
		fail(err)
		return
	}
	in := complaint.Intake{Channel: complaint.ChannelWeb, Photos: photos, IdemKey: r.PostFormValue("idem"), Body: r.PostFormValue("text"),
		Public: r.PostFormValue("public") == "1", Confidential: r.PostFormValue("confidential") == "1",
		ReporterName: r.PostFormValue("name"), ReporterPhone: r.PostFormValue("phone"), ReporterEmail: r.PostFormValue("email")}
	if v.User != nil {
		in.ReporterUserID = &v.User.ID
	}
	in.IdemScope = s.idemScope(r, v.User)
	if in.AreaID, in.Kecamatan, err = s.complaintArea(r); err != nil {
		fail(err)
		return
	}
	if in.Latitude, in.Longitude, err = coordinates(r.PostFormValue("lat"), r.PostFormValue("lon")); err != nil {
		fail(err)
		return
	}
	rec, err := s.complaints.Submit(ctx, s.complaints.Actor(v, ""), in)
	if err != nil {
		fail(err)
		return
	}
	page := "/pengaduan/" + rec.Complaint.Number
	if rec.Secret != "" {
		s.setComplaintSecret(w, rec.Complaint.Number, rec.Secret)
		page += "?baru=1"
	}
	http.Redirect(w, r, page, http.StatusSeeOther)
}

// maxComplaintBody caps the intake form's body: its photos at their
// largest plus room for the text fields and multipart framing.
const maxComplaintBody = complaint.MaxPhotos*complaint.MaxPhotoBytes + 256<<10

// complaintPhotos reads the "photo" files of a multipart intake form (none
// for a plain form), each up to complaint.MaxPhotoBytes; the domain checks
// their number and type. A body over maxComplaintBody is 413.
func complaintPhotos(r *http.Request) ([]complaint.PhotoInput, error) {
	fhs, err := formFiles(r, "photo", maxComplaintBody)
	if err != nil {
		return nil, err
	}
	tooBig := errs.Wrap(errs.Invalid, "complaint.error.photo_size", &http.MaxBytesError{Limit: complaint.MaxPhotoBytes})
	var out []complaint.PhotoInput
	for i, fh := range fhs {
		if i == complaint.MaxPhotos {
			return nil, errs.E(errs.Invalid, "complaint.error.photos", map[string]any{"Max": complaint.MaxPhotos})
		}
		b, err := readFormFile(fh, complaint.MaxPhotoBytes, tooBig)
		if err != nil {
			return nil, err
		}
		out = append(out, complaint.PhotoInput{Name: fh.Filename, Data: b})
	}
	return out, nil
}

// handleComplaintPhoto serves photo {id} of the {nomor} complaint to those
// who may read its text whole (the reporter, the desk, its agencies'
// officers); 404 for anyone else, as for no such photo. Private: never
// cached by shared caches, never sniffed into another type.
func (s *Server) handleComplaintPhoto(w http.ResponseWriter, r *http.Request) {
	a, c, err := s.complaintFor(r)
	var p *complaint.Photo
	if err == nil {
		id, e := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if e != nil {
			err = errs.ErrNotFound
		} else {
			p, err = s.complaints.PhotoData(r.Context(), a, c, id)
		}
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", p.ContentType)
	h.Set("Content-Length", strconv.FormatInt(int64(len(p.Data)), 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=3600")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.Write(p.Data) //nolint:errcheck // the client went away
}

// kecamatanChoice is one kecamatan of the area picker with its kelurahan
// (areas with a kelurahan; the kecamatan as a whole is picked by leaving
// the kelurahan empty).
type kecamatanChoice struct {
	Name      string
	Kelurahan []complaint.Area
}

// kecamatanChoices groups the directory's areas (sorted by kecamatan, then
// kelurahan) by kecamatan.
func kecamatanChoices(areas []complaint.Area) []kecamatanChoice {
	var out []kecamatanChoice
	for _, a := range areas {
		if len(out) == 0 || out[len(out)-1].Name != a.Kecamatan {
			out = append(out, kecamatanChoice{Name: a.Kecamatan})
		}
		if a.Kelurahan != "" {
			out[len(out)-1].Kelurahan = append(out[len(out)-1].Kelurahan, a)
		}
	}
	return out
}

// complaintArea reads the form's area: a kelurahan (an area id of the
// directory, which must lie in the kecamatan when one is also picked), or
// a kecamatan alone (returned by name for the domain to file against it as
// a whole), or the older single "area" field (an area id). Neither is
// fine. KindInvalid complaint.error.area for an unknown one,
// complaint.error.area_mismatch for a kelurahan of another kecamatan.
func (s *Server) complaintArea(r *http.Request) (*int64, string, error) {
	kec, kel := strings.TrimSpace(r.PostFormValue("kecamatan")), r.PostFormValue("kelurahan")
	if kel == "" {
		kel = r.PostFormValue("area")
	}
	if kel == "" {
		return nil, kec, nil
	}
	id, err := strconv.ParseInt(kel, 10, 64)
	areas, err2 := s.complaints.Areas(r.Context())
	if err2 != nil {
		return nil, "", err2
	}
	for _, a := range areas {
		if err == nil && a.ID == id {
			if kec != "" && a.Kecamatan != kec {
				return nil, "", errs.E(errs.Invalid, "complaint.error.area_mismatch", map[string]any{"Kelurahan": a.Kelurahan, "Kecamatan": kec})
			}
			return &id, "", nil
		}
	}
	return nil, "", errs.E(errs.Invalid, "complaint.error.area", nil)
}

// coordinates parses optional latitude and longitude form fields; both or
// neither (the domain checks their range).
func coordinates(lat, lon string) (*float64, *float64, error) {
	lat, lon = strings.TrimSpace(lat), strings.TrimSpace(lon)
	if lat == "" && lon == "" {
		return nil, nil, nil
	}
	la, err1 := strconv.ParseFloat(strings.ReplaceAll(lat, ",", "."), 64)
	lo, err2 := strconv.ParseFloat(strings.ReplaceAll(lon, ",", "."), 64)
	if err1 != nil || err2 != nil {
		return nil, nil, errs.E(errs.Invalid, "complaint.error.coordinates", nil)
	}
	return &la, &lo, nil
}

// setComplaintSecret keeps secret for complaint number in a cookie scoped
// to its pages (HttpOnly, SameSite Lax, 90 days).
func (s *Server) setComplaintSecret(w http.ResponseWriter, number, secret string) {
	http.SetCookie(w, &http.Cookie{Name: complaintSecretCookie, Value: secret, Path: "/pengaduan/" + number,
		MaxAge: 90 * 24 * 3600, HttpOnly: true, Secure: s.secure, SameSite: http.SameSiteLaxMode})
}

// complaintFor reads the {nomor} complaint and the actor asking: the
// request's viewer with the secret cookie of that complaint.
func (s *Server) complaintFor(r *http.Request) (complaint.Actor, *complaint.Complaint, error) {
	v, err := s.readerViewer(r)
	if err != nil {
		return complaint.Actor{}, nil, err
	}
	secret := ""
	if ck, err := r.Cookie(complaintSecretCookie); err == nil {
		secret = ck.Value
	}
	a := s.complaints.Actor(v, secret)
	c, err := s.complaints.ByNumber(r.Context(), r.PathValue("nomor"))
	return a, c, err
}

// complaintPageData is the tracking page's data.
type complaintPageData struct {
	C      *complaint.Presented
	Photos []complaint.Photo // for those who may read the text whole
	Secret string            // shown right after intake
	Staff  *complaintStaffData
}

// handleComplaintPage shows a complaint's timeline to whoever may read it:
// the reporter (signed in, or with the secret cookie), the complaint desk,
// officers of its agencies, and everyone for a published public one. Anyone
// else (and an unknown number) gets the same secret form, so a number alone
// tells nothing.
func (s *Server) handleComplaintPage(w http.ResponseWriter, r *http.Request) {
	a, c, err := s.complaintFor(r)
	var p *complaint.Presented
	if err == nil {
		p, err = s.complaints.Present(r.Context(), a, c, true)
	}
	title := s.msgs.T(info(r).lang, "complaint.track.title")
	if errs.KindOf(err) == errs.NotFound {
		s.render(w, r, http.StatusOK, "complaint_unlock", title, r.PathValue("nomor"))
		return
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	d := complaintPageData{C: p}
	if d.Photos, err = s.complaints.Photos(r.Context(), a, c); err != nil {
		s.serveError(w, r, err)
		return
	}
	if r.URL.Query().Get("baru") == "1" && p.View.Citizen {
		d.Secret = a.Secret
	}
	if p.View.Internal {
		if d.Staff, err = s.complaintStaff(r, a, c, p); err != nil {
			s.serveError(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "complaint", p.Number, d)
}

// handleComplaintTrack goes from the form's ?nomor= to the complaint's
// page.
func (s *Server) handleComplaintTrack(w http.ResponseWriter, r *http.Request) {
	n := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("nomor")))
	if n == "" || len(n) > 20 || strings.ContainsAny(n, "/?#") {
		s.serveError(w, r, errs.E(errs.Invalid, "complaint.error.number", nil))
		return
	}
	http.Redirect(w, r, "/pengaduan/"+n, http.StatusSeeOther)
}

// handleComplaintUnlock takes the tracking secret from the form, keeps it
// in the complaint's cookie and goes to its page.
func (s *Server) handleComplaintUnlock(w http.ResponseWriter, r *http.Request) {
	n := r.PathValue("nomor")
	if _, err := s.complaints.ByNumber(r.Context(), n); err == nil {
		s.setComplaintSecret(w, n, strings.ToLower(strings.TrimSpace(r.PostFormValue("secret"))))
	}
	http.Redirect(w, r, "/pengaduan/"+n, http.StatusSeeOther)
}

// handleComplaintCitizen takes the reporter's actions (do=reply, close
// with rating 1–4 and comment, reopen with a reason) and goes back to the
// page.
func (s *Server) handleComplaintCitizen(w http.ResponseWriter, r *http.Request) {
	a, c, err := s.complaintFor(r)
	if err == nil {
		ctx := r.Context()
		switch r.PostFormValue("do") {
		case "reply":
			_, err = s.complaints.Reply(ctx, a, c.ID, r.PostFormValue("text"))
		case "close":
			rating, _ := strconv.Atoi(r.PostFormValue("rating"))
			if rating < 1 || rating > 4 {
				err = errs.E(errs.Invalid, "complaint.error.rating", nil)
			} else {
				_, err = s.complaints.Close(ctx, a, c.ID, rating, r.PostFormValue("comment"))
			}
		case "reopen":
			_, err = s.complaints.Reopen(ctx, a, c.ID, r.PostFormValue("text"))
		default:
			err = errs.E(errs.Invalid, "complaint.error.action", nil)
		}
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/pengaduan/"+c.Number, http.StatusSeeOther)
}

// complaintNotice composes the citizen's message for a complaint change
// from the translation files (complaint.notice.<action>.subject and .body,
// with Number, Text, Reason, Into, Secret, and URL and IntoURL: the
// complaint pages' absolute addresses); complaint.Config.Notice.
func (s *Server) complaintNotice(kind string, data map[string]any, lang string) (string, string) {
	key := "complaint.notice." + strings.TrimPrefix(kind, "complaint.")
	args := []any{"Number", data["number"], "Text", data["text"], "Reason", data["reason"], "Into", data["into"],
		"Secret", data["secret"], "URL", s.complaintLink(data["number"]), "IntoURL", s.complaintLink(data["into"])}
	return s.msgs.T(lang, key+".subject", args...), s.msgs.T(lang, key+".body", args...)
}

// complaintLink is the absolute address of complaint number's page, on the
// site's public URL (REMBUG_BASE_URL); a path alone when none is set.
func (s *Server) complaintLink(number any) string {
	n, _ := number.(string)
	if n == "" {
		return ""
	}
	return s.baseURL + "/pengaduan/" + n
}
