package web

import (
	"net/http"

	"github.com/rembug/rembug/forum/errs"
)

// routeTable lists every route once, as {method, path pattern, handler}.
// routes registers each through guard, so every unsafe route (POST, PUT,
// PATCH, DELETE) is CSRF-checked in one place, except those listed in
// foreignRoutes.
func (s *Server) routeTable() []route {
	return []route{
		{"GET", "/{$}", s.handleHome},
		{"GET", "/k/{ref}", s.handleConsultation},
		{"POST", "/k/{ref}/vote", s.handleVote},
		{"POST", "/k/{ref}/pernyataan", s.handleStatementSeed},         // staff seed statements (statement_seed.go)
		{"POST", "/k/{ref}/pernyataan/kirim", s.handleStatementSubmit}, // participants' own statements (statement_submit.go)
		{"GET", "/k/{ref}/results", s.handleResults},

		// Draft regulations (raperda): text, inputs per unit, the drafters'
		// answers, versions, the participation matrix and the report
		// (rancangan*.go).
		// Meetings (pertemuan): list, announce, register, minutes, .ics (meeting.go).
		{"GET", "/k/{ref}/pertemuan", s.handleMeetings},
		{"GET", "/k/{ref}/feed.atom", s.handleConsultationFeed}, // Atom feeds (feed.go)
		{"GET", "/feed.atom", s.handleSiteFeed},
		{"POST", "/k/{ref}/pertemuan", s.handleMeetingCreate},
		{"GET", "/k/{ref}/pertemuan.ics", s.handleMeetingsICS},
		{"GET", "/k/{ref}/pertemuan/{id}", s.handleMeeting},
		{"GET", "/k/{ref}/pertemuan/{id}/kalender.ics", s.handleMeetingICS},
		{"POST", "/k/{ref}/pertemuan/{id}/daftar", s.handleMeetingRegister},
		{"POST", "/k/{ref}/pertemuan/{id}/batal", s.handleMeetingUnregister},
		{"POST", "/k/{ref}/pertemuan/{id}/notulen", s.handleMeetingMinutes},
		{"POST", "/k/{ref}/pertemuan/{id}/hasil", s.handleMeetingOutcomes},
		// Share images of what a signed-out visitor may read (og.go).
		{"GET", "/og/k/{ref}/{file}", s.handleOGConsultation},
		{"GET", "/og/p/{ref}/{file}", s.handleOGProposal},
		{"GET", "/k/{ref}/rancangan", s.handleDrafts},
		{"POST", "/k/{ref}/rancangan", s.handleDraftCreate},
		{"GET", "/k/{ref}/rancangan/{id}", s.handleDraftText},
		{"GET", "/k/{ref}/rancangan/{id}/u/{anchor}", s.handleDraftUnit},
		{"POST", "/k/{ref}/rancangan/{id}/masukan", s.handleDraftInput},
		{"POST", "/k/{ref}/rancangan/{id}/masukan/{input}/dukung", s.handleDraftSupport},
		{"POST", "/k/{ref}/rancangan/{id}/masukan/{input}/ubah", s.handleDraftInputEdit},
		{"POST", "/k/{ref}/rancangan/{id}/masukan/{input}/hapus", s.handleDraftInputDelete},
		{"POST", "/k/{ref}/rancangan/{id}/masukan/{input}/sembunyikan", s.handleDraftHide},
		{"GET", "/k/{ref}/rancangan/{id}/tanggapi", s.handleDraftTriage},
		{"POST", "/k/{ref}/rancangan/{id}/tanggapi", s.handleDraftAnswer},
		{"GET", "/k/{ref}/rancangan/{id}/versi", s.handleDraftVersions},
		{"POST", "/k/{ref}/rancangan/{id}/versi", s.handleDraftVersionAdd},
		{"GET", "/k/{ref}/rancangan/{id}/matriks", s.handleDraftMatrix},
		{"GET", "/k/{ref}/rancangan/{id}/matriks.xlsx", s.handleDraftMatrixXLSX},
		{"GET", "/k/{ref}/rancangan/{id}/naskah.docx", s.handleDraftDocx},
		{"GET", "/k/{ref}/rancangan/{id}/laporan", s.handleDraftReport},

		// Accounts: sign-in (social, staff password, one-time link), sign-out
		// and the profile page (auth_*.go, signin*.go, social.go, account*.go).
		{"GET", "/masuk", s.handleSignin},
		{"POST", "/masuk/sandi", s.handlePasswordSignin},
		{"GET", "/masuk/tautan/{token}", s.handleSigninLink},
		{"POST", "/masuk/tautan/{token}", s.handleSigninLinkUse},
		{"POST", "/masuk/kode", s.handleCodeStart}, // one-time codes (signin_code.go)
		{"GET", "/masuk/kode/{challenge}", s.handleCodeForm},
		{"POST", "/masuk/kode/{challenge}", s.handleCodeVerify},
		{"GET", "/masuk/email/{token}", s.handleMagicLink},
		{"POST", "/masuk/email/{token}", s.handleMagicLinkUse},
		{"GET", "/admin", s.handleAdminHome}, // every staff tool the viewer may use (admin_home.go)
		{"GET", "/admin/kotak-keluar", s.handleOutbox},
		{"GET", "/admin/merek", s.handleBranding}, // branding: name, logo, colour, footer (branding.go)
		{"POST", "/admin/merek", s.handleBrandingSave},
		{"GET", "/k/{ref}/widget", s.handleWidget}, // embeddable widget and its allowed origins (widget.go)
		{"GET", "/admin/sematan", s.handleEmbedAdmin},
		{"POST", "/admin/sematan", s.handleEmbedAdminSave},
		{"GET", "/panduan", s.handleGuides}, // guides: taking part, personal data, feedback (guide.go)
		{"GET", "/panduan/{slug}", s.handleGuide},
		{"GET", "/admin/panduan/{slug}/{lang}", s.handleGuideEdit},
		{"POST", "/admin/panduan/{slug}/{lang}", s.handleGuideSave},
		{"GET", "/admin/gaya", s.handleStyleGuide}, // the design system, every component (style_guide.go)
		{"GET", "/static/merek/{file}", s.handleBrandAsset},
		{"GET", "/manifest.webmanifest", s.handleManifest},
		{"POST", "/masuk/draf", s.handleDraftSave}, // a guest's comment kept while they sign in (draft.go)
		{"GET", "/masuk/draf/{token}", s.handleDraft},
		{"GET", "/auth/{provider}", s.handleSocialBegin},
		{"GET", "/auth/{provider}/callback", s.handleSocialCallback},
		{"POST", "/keluar", s.handleSignOut},
		{"GET", "/akun", s.handleAccount},
		{"POST", "/akun/profil", s.handleProfileSave},
		{"POST", "/akun/opsional", s.handleOptionalSave},
		{"POST", "/akun/tautkan", s.handleLinkBegin},
		{"POST", "/akun/lepas", s.handleUnlink},
		{"POST", "/akun/telepon", s.handlePhoneLinkStart}, // link a phone number by code (account_phone.go)
		{"GET", "/akun/telepon/{challenge}", s.handlePhoneLinkForm},
		{"POST", "/akun/telepon/{challenge}", s.handlePhoneLinkVerify},
		{"GET", "/akun/data.json", s.handleAccountExport},
		{"POST", "/akun/hapus", s.handleAccountDelete},

		// Proposals, supports, threaded comments, reports and moderation
		// (proposals.go, proposal.go, comments.go, moderation.go, forum_api.go).
		{"GET", "/k/{ref}/proposals", s.handleProposals},
		{"GET", "/k/{ref}/proposals/new", s.handleProposalForm},
		{"POST", "/k/{ref}/proposals", s.handleProposalCreate},
		{"GET", "/k/{ref}/moderation", s.handleQueue},
		{"POST", "/k/{ref}/moderation", s.handleModerate},
		{"GET", "/k/{ref}/export/{format}", s.handleExport},
		{"GET", "/p/{ref}", s.handleProposal},
		{"POST", "/p/{ref}/support", s.handleSupport},
		{"POST", "/p/{ref}/answer", s.handleAnswer},
		{"POST", "/p/{ref}/comments", s.handleComment},
		{"GET", "/comments/{id}/edit", s.handleCommentEditForm},
		{"POST", "/comments/{id}/{action}", s.handleCommentAction},
		{"POST", "/flag", s.handleFlag},
		{"GET", "/admin/audit", s.handleAudit},
		{"GET", "/api/v1/consultations/{ref}/proposals", s.handleAPIProposals},
		{"GET", "/api/v1/proposals/{id}/comments", s.handleAPIComments},

		// Polls and surveys, and the IKM satisfaction survey (poll*.go, ikm*.go).
		{"GET", "/survei/{id}", s.handlePoll},
		{"POST", "/survei/{id}", s.handlePollSubmit},
		{"GET", "/survei/{id}/results", s.handlePollResults},
		{"GET", "/survei/{id}/results.csv", s.handlePollExport},
		{"GET", "/survei/{id}/results.xlsx", s.handlePollExport},
		{"GET", "/api/v1/polls/{id}/results", s.handleAPIPollResults},

		// The survey builder for staff who moderate the consultation, and the
		// export of every response (poll_builder*.go, poll_answers_export.go).
		{"GET", "/k/{ref}/survei", s.handleBuilderList},
		{"POST", "/k/{ref}/survei", s.handleBuilderCreate},
		{"GET", "/survei/{id}/ubah", s.handleBuilder},
		{"POST", "/survei/{id}/ubah", s.handleBuilderSettings},
		{"POST", "/survei/{id}/status/{action}", s.handleBuilderState},
		{"POST", "/survei/{id}/duplikat", s.handleBuilderDuplicate},
		{"POST", "/survei/{id}/pertanyaan", s.handleBuilderAdd},
		{"POST", "/survei/{id}/pertanyaan/{code}", s.handleBuilderEdit},
		{"POST", "/survei/{id}/pertanyaan/{code}/{action}", s.handleBuilderMove},
		{"GET", "/survei/{id}/jawaban.csv", s.handleAnswersExport},
		{"GET", "/survei/{id}/jawaban.xlsx", s.handleAnswersExport},
		// Kiosk mode of an assisted-entry officer at the desk (kiosk.go).
		{"GET", "/kiosk", s.handleKiosk},
		{"POST", "/kiosk/mulai", s.handleKioskStart},
		{"POST", "/kiosk/keluar", s.handleKioskStop},
		{"GET", "/kiosk/pengaduan", s.handleKioskComplaint},
		{"POST", "/kiosk/pengaduan", s.handleKioskComplaintSubmit},
		{"GET", "/kiosk/usulan", s.handleKioskProposal},
		{"POST", "/kiosk/usulan", s.handleKioskProposalSubmit},
		{"GET", "/kiosk/ikm", s.handleKioskIKM},
		{"POST", "/kiosk/ikm", s.handleKioskIKMSubmit},
		{"GET", "/kiosk/selesai", s.handleKioskDone},
		{"GET", "/ikm/{unit}", s.handleIKMForm},
		{"POST", "/ikm/{unit}", s.handleIKMSubmit},
		{"GET", "/ikm/{unit}/{period}", s.handleIKMReport},
		{"GET", "/api/v1/ikm/{unit}/{period}", s.handleAPIIKM},

		// Live results pages and the IKM admin pages: service units and their
		// element labels (poll_live.go, ikm_admin.go).
		{"GET", "/survei/ws", s.results.ws.ServeHTTP},
		{"GET", "/admin/ikm", s.handleAdminIKM},
		{"POST", "/admin/ikm", s.handleAdminIKMCreate},
		{"GET", "/admin/ikm/{unit}", s.handleAdminIKMUnit},
		{"POST", "/admin/ikm/{unit}", s.handleAdminIKMLabels},

		// Live Q&A sessions (live*.go): join by code, the participant page and
		// its forms, the presenter view, the moderator page and its forms, and
		// the websocket (realtime/PROTOCOL.md).
		{"GET", "/live", s.handleLiveJoin},
		{"GET", "/live/ws", s.live.ws.ServeHTTP},
		{"GET", "/live/{code}", s.handleLive},
		{"POST", "/live/{code}/ask", s.handleLiveAsk},
		{"POST", "/live/{code}/upvote", s.handleLiveUpvote},
		{"POST", "/live/{code}/answer", s.handleLiveAnswer},
		{"GET", "/live/{code}/present", s.handleLivePresent},
		{"GET", "/live/{code}/mod", s.handleLiveMod},
		{"POST", "/live/{code}/mod/question", s.handleLiveModQuestion},
		{"POST", "/live/{code}/mod/poll", s.handleLiveModPoll},
		{"POST", "/live/{code}/mod/session", s.handleLiveModSession},
		{"GET", "/live/{code}/export/{file}", s.handleLiveExport}, // staff: the session's record (live_export.go)
		{"GET", "/k/{ref}/live", s.handleLiveList},
		{"POST", "/k/{ref}/live", s.handleLiveCreate},

		// Consultation report: page and JSON, for staff always and for everyone
		// once published (report.go).
		{"GET", "/k/{ref}/report", s.handleReport},
		{"POST", "/k/{ref}/report/terbit", s.handleReportPublish}, // admins publish or withdraw it
		{"GET", "/api/v1/consultations/{ref}/report", s.handleAPIReport},

		{"GET", "/api/v1/consultations", s.handleAPIConsultations},
		{"GET", "/api/v1/indicators", s.handleAPIIndicators},

		// The five service indicators: the staff dashboard with filters, its
		// settings (prices, the traditional channel's cost, the availability
		// target, what is published), cost items and incidents, the public
		// dashboard with the sections an admin published, their CSV/XLSX
		// exports and the websocket that tells open pages the figures changed
		// (dashboard*.go).
		{"GET", "/admin/dasbor", s.handleAdminDashboard},
		{"GET", "/admin/dasbor/ekspor.csv", s.handleDashboardExport},
		{"GET", "/admin/dasbor/ekspor.xlsx", s.handleDashboardExport},
		{"GET", "/admin/dasbor/pengaturan", s.handleDashboardSettings},
		{"POST", "/admin/dasbor/pengaturan", s.handleDashboardSettingsSave},
		{"POST", "/admin/dasbor/biaya", s.handleDashboardCostAdd},
		{"POST", "/admin/dasbor/insiden", s.handleDashboardIncidentAdd},
		{"POST", "/admin/dasbor/biaya/{id}", s.handleDashboardCostEdit},
		{"POST", "/admin/dasbor/insiden/{id}", s.handleDashboardIncidentEdit},
		{"GET", "/dasbor", s.handlePublicDashboard},
		{"GET", "/dasbor/ekspor.csv", s.handleDashboardExport},
		{"GET", "/dasbor/ekspor.xlsx", s.handleDashboardExport},
		{"GET", "/dasbor/ws", s.dash.ws.ServeHTTP},

		// Evaluation cycles: plan, close (freeze the indicators), findings,
		// recommendations and their progress, publication; the report on
		// A4 and its exports, for staff and, once published, everyone
		// (evaluation*.go).
		{"GET", "/admin/evaluasi", s.handleEvalList},
		{"POST", "/admin/evaluasi", s.handleEvalOpen},
		{"GET", "/admin/evaluasi/{id}", s.handleEvalReport},
		{"GET", "/admin/evaluasi/{id}/ekspor.csv", s.handleEvalExport},
		{"GET", "/admin/evaluasi/{id}/ekspor.xlsx", s.handleEvalExport},
		{"POST", "/admin/evaluasi/{id}/tutup", s.handleEvalClose},
		{"POST", "/admin/evaluasi/{id}/terbitkan", s.handleEvalPublish},
		{"POST", "/admin/evaluasi/{id}/temuan", s.handleEvalFinding},
		{"POST", "/admin/evaluasi/{id}/temuan/{item}", s.handleEvalFindingEdit},
		{"POST", "/admin/evaluasi/{id}/rekomendasi", s.handleEvalRecommendation},
		{"POST", "/admin/evaluasi/{id}/rekomendasi/{item}", s.handleEvalRecommendationEdit},
		{"POST", "/admin/evaluasi/{id}/kemajuan", s.handleEvalProgress},
		{"POST", "/admin/evaluasi/{id}/instrumen", s.handleEvalInstrument},
		{"POST", "/admin/evaluasi/{id}/instrumen/{item}", s.handleEvalInstrumentEdit},
		{"POST", "/admin/evaluasi/{id}/instrumen/{item}/berkas", s.handleEvalFileUpload},
		{"POST", "/admin/evaluasi/{id}/berkas/{file}", s.handleEvalFileDelete},
		{"GET", "/admin/evaluasi/{id}/berkas/{file}/{name}", s.handleEvalFile},
		{"GET", "/evaluasi", s.handleEvalList},
		{"GET", "/evaluasi/{id}", s.handleEvalReport},
		{"GET", "/evaluasi/{id}/ekspor.csv", s.handleEvalExport},
		{"GET", "/evaluasi/{id}/ekspor.xlsx", s.handleEvalExport},
		{"GET", "/evaluasi/{id}/rekomendasi/{rec}", s.handleEvalRecommendationPage},
		{"GET", "/api/v1/consultations/{ref}/statements", s.handleAPIStatements},

		// Search: the page behind the header's search box and its JSON twin
		// (search.go).
		{"GET", "/cari", s.handleSearch},
		{"GET", "/api/v1/search", s.handleAPISearch},

		// Consultation admin pages (details, rules, phases), focus groups with
		// invitations and members, follows and notifications, and reports of a
		// participant (consultation_admin.go, focusgroups.go, notifications.go,
		// flag_author.go).
		{"GET", "/admin/konsultasi", s.handleAdminConsultations},
		{"GET", "/admin/konsultasi/baru", s.handleAdminConsultationNew},
		{"POST", "/admin/konsultasi", s.handleAdminConsultationCreate},
		{"GET", "/admin/konsultasi/{ref}", s.handleAdminConsultation},
		{"POST", "/admin/konsultasi/{ref}", s.handleAdminConsultationUpdate},
		{"POST", "/admin/konsultasi/{ref}/aturan", s.handleAdminRules},
		{"POST", "/admin/konsultasi/{ref}/tahapan", s.handleAdminPhaseAdd},
		{"POST", "/admin/konsultasi/{ref}/tahapan/{id}/hapus", s.handleAdminPhaseRemove},
		{"POST", "/admin/konsultasi/{ref}/peran", s.handleAdminConsultationRole}, // named moderators and analysts (users_admin.go)
		{"GET", "/admin/pengguna", s.handleAdminUsers},
		{"POST", "/admin/pengguna/{id}/peran", s.handleAdminUserRole},
		{"POST", "/admin/pengguna/{id}/blokir", s.handleAdminUserBlock},
		{"GET", "/k/{ref}/kelompok", s.handleGroups},
		{"POST", "/k/{ref}/kelompok", s.handleGroupCreate},
		{"GET", "/k/{ref}/kelompok/{id}", s.handleGroup},
		{"POST", "/k/{ref}/kelompok/{id}/undangan", s.handleGroupInvite},
		{"POST", "/k/{ref}/kelompok/{id}/undangan/cabut", s.handleGroupRevoke},
		{"POST", "/k/{ref}/kelompok/{id}/live", s.handleGroupLiveCreate}, // a members-only live session (focusgroup_live.go)
		{"POST", "/k/{ref}/kelompok/{id}/anggota/{user}/hapus", s.handleGroupRemove},
		{"GET", "/undangan/{token}", s.handleInvite},
		{"POST", "/undangan/{token}", s.handleInviteAccept},
		{"GET", "/notifikasi", s.handleNotifications},
		{"POST", "/notifikasi/baca", s.handleNotificationsRead},
		{"POST", "/k/{ref}/ikuti", s.handleFollow},
		{"POST", "/p/{ref}/ikuti", s.handleFollow},
		{"POST", "/flag/author", s.handleFlagAuthor},

		// Consultation files: cover image and documents, uploaded by admins
		// (the only route with a body over 1 MB) and served with the
		// consultation's visibility (files.go, files_serve.go).
		{"POST", "/admin/konsultasi/{ref}/berkas", s.handleFileUpload},
		{"POST", "/admin/konsultasi/{ref}/berkas/{id}/hapus", s.handleFileDelete},
		{"GET", "/k/{ref}/berkas/{id}/{name}", s.handleFile},
		{"GET", "/k/{ref}/sampul", s.handleCoverThumb},
		// A proposal's image and its card image, under the proposal's
		// visibility, and its removal by its author or a moderator
		// (proposal_image.go).
		{"GET", "/p/{ref}/gambar", s.handleProposalImage},
		{"GET", "/p/{ref}/gambar/{size}", s.handleProposalImage},
		{"POST", "/p/{ref}/gambar/hapus", s.handleProposalImageRemove},

		// Complaint pages (pengaduan): intake form, tracking by number (and
		// the guest's secret), the reporter's reply, close-and-rate and
		// reopen, the officers' actions and inbox (complaint_pages.go,
		// complaint_admin.go).
		{"GET", "/pengaduan/baru", s.handleComplaintForm},
		{"POST", "/pengaduan", s.handleComplaintCreate},
		{"GET", "/pengaduan/lacak", s.handleComplaintTrack},
		{"GET", "/pengaduan/{nomor}", s.handleComplaintPage},
		{"GET", "/pengaduan/{nomor}/foto/{id}", s.handleComplaintPhoto},
		{"POST", "/pengaduan/{nomor}/kode", s.handleComplaintUnlock},
		{"POST", "/pengaduan/{nomor}/warga", s.handleComplaintCitizen},
		{"POST", "/pengaduan/{nomor}/petugas", s.handleComplaintStaff},
		{"GET", "/admin/pengaduan", s.handleComplaintInbox},
		{"GET", "/admin/pengaduan/lapor.csv", s.handleComplaintLaporExport},
		{"GET", "/admin/pengaduan/lapor", s.handleComplaintLaporForm},
		{"POST", "/admin/pengaduan/lapor", s.handleComplaintLaporImport},
		{"GET", "/admin/pengaduan/instansi", s.handleComplaintAgencies},
		{"POST", "/admin/pengaduan/instansi", s.handleComplaintAgencyIKM},
		{"POST", "/admin/pengaduan/instansi/petugas", s.handleComplaintAgencyOfficer},
		{"POST", "/admin/pengaduan/instansi/baru", s.handleComplaintAgencyCreate},
		{"POST", "/admin/pengaduan/instansi/ubah", s.handleComplaintAgencyEdit},
		{"GET", "/pengaduan", s.handleComplaintPublic}, // public list and statistics, when published (complaint_public.go)
		{"GET", "/pengaduan/statistik", s.handleComplaintStats},
		{"GET", "/pengaduan/peta", s.handleComplaintMap},

		// Complaints (pengaduan): the JSON API for staff tokens and public
		// intake (complaint_api.go).
		{"GET", "/api/v1/complaints", s.handleAPIComplaints},
		{"POST", "/api/v1/complaints", s.handleAPIComplaintCreate},
		{"GET", "/api/v1/complaints/stats", s.handleAPIComplaintStats},
		{"GET", "/api/v1/complaints/routing", s.handleAPIComplaintRouting},
		{"GET", "/api/v1/complaints/{number}", s.handleAPIComplaint},

		// Complaint channel webhooks, verified by the provider's signature
		// instead of a CSRF token (complaint_webhook.go; listed in
		// foreignRoutes).
		{"GET", "/webhook/whatsapp", s.handleWhatsAppVerify},
		{"POST", "/webhook/whatsapp", s.handleWhatsAppWebhook},
		{"POST", "/webhook/sms", s.handleSMSWebhook},

		{"GET", "/healthz", s.handleHealth},
		{"GET", "/readyz", s.handleReady},
		{"GET", "/metrics", s.handleMetrics},
		{"GET", "/static/", s.static.ServeHTTP},
	}
}

// foreignRoutes lists, by pattern, the unsafe routes that take requests
// without the visitor's CSRF token: webhooks and public APIs whose callers
// are programs, not this site's forms. Each entry says who calls it and how
// the handler authenticates and limits the caller instead (a bearer token,
// a provider's signature, a rate limit). guard still applies Go's
// cross-origin protection to them, so a browser on another site cannot use a
// visitor's cookies there. A test keeps every entry pointing at a real
// unsafe route of routeTable.
func foreignRoutes() map[string]string {
	return map[string]string{
		"POST /api/v1/complaints": "public JSON intake for other systems and apps: a staff bearer token, " +
			"or anonymous with a per-address hourly limit and an Idempotency-Key (complaint_api.go)",
		"POST /webhook/whatsapp": "WhatsApp Business Cloud API webhook, authenticated by its X-Hub-Signature-256 " +
			"HMAC over the raw body (complaint_webhook.go)",
		"POST /webhook/sms": "Twilio inbound SMS webhook, authenticated by its X-Twilio-Signature HMAC-SHA1 over the " +
			"URL and form (complaint_sms.go)",
	}
}

// routes builds the handler of every route: the table, each route through
// guard, and handleUnmatched for the rest (405 with Allow when only the
// method is wrong, 404 otherwise).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.serveError(w, r, errs.E(errs.Forbidden, "error.csrf", nil))
	}))
	foreign := foreignRoutes()
	for _, rt := range s.routeTable() {
		mux.Handle(rt.pattern(), s.guard(rt, foreign, cop))
	}
	mux.HandleFunc("/", s.handleUnmatched(mux))
	return mux
}
