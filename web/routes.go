package web

import "net/http"

// routes lists every route once.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleHome)
	mux.HandleFunc("GET /k/{ref}", s.handleConsultation)
	mux.HandleFunc("POST /k/{ref}/vote", s.handleVote)
	mux.HandleFunc("GET /k/{ref}/results", s.handleResults)

	// Accounts: sign-in (social, staff password, one-time link), sign-out
	// and the profile page (auth_*.go, signin*.go, social.go, account*.go).
	mux.HandleFunc("GET /masuk", s.handleSignin)
	mux.HandleFunc("POST /masuk/sandi", s.handlePasswordSignin)
	mux.HandleFunc("GET /masuk/tautan/{token}", s.handleSigninLink)
	mux.HandleFunc("POST /masuk/tautan/{token}", s.handleSigninLinkUse)
	mux.HandleFunc("POST /masuk/kode", s.handleCodeStart) // one-time codes (signin_code.go)
	mux.HandleFunc("GET /masuk/kode/{challenge}", s.handleCodeForm)
	mux.HandleFunc("POST /masuk/kode/{challenge}", s.handleCodeVerify)
	mux.HandleFunc("GET /masuk/email/{token}", s.handleMagicLink)
	mux.HandleFunc("POST /masuk/email/{token}", s.handleMagicLinkUse)
	mux.HandleFunc("GET /admin/kotak-keluar", s.handleOutbox)
	mux.HandleFunc("POST /masuk/draf", s.handleDraftSave) // a guest's comment kept while they sign in (draft.go)
	mux.HandleFunc("GET /masuk/draf/{token}", s.handleDraft)
	mux.HandleFunc("GET /auth/{provider}", s.handleSocialBegin)
	mux.HandleFunc("GET /auth/{provider}/callback", s.handleSocialCallback)
	mux.HandleFunc("POST /keluar", s.handleSignOut)
	mux.HandleFunc("GET /akun", s.handleAccount)
	mux.HandleFunc("POST /akun/profil", s.handleProfileSave)
	mux.HandleFunc("POST /akun/opsional", s.handleOptionalSave)
	mux.HandleFunc("POST /akun/tautkan", s.handleLinkBegin)
	mux.HandleFunc("POST /akun/lepas", s.handleUnlink)
	mux.HandleFunc("GET /akun/data.json", s.handleAccountExport)
	mux.HandleFunc("POST /akun/hapus", s.handleAccountDelete)

	// Proposals, supports, threaded comments, reports and moderation
	// (proposals.go, proposal.go, comments.go, moderation.go, forum_api.go).
	mux.HandleFunc("GET /k/{ref}/proposals", s.handleProposals)
	mux.HandleFunc("GET /k/{ref}/proposals/new", s.handleProposalForm)
	mux.HandleFunc("POST /k/{ref}/proposals", s.handleProposalCreate)
	mux.HandleFunc("GET /k/{ref}/moderation", s.handleQueue)
	mux.HandleFunc("POST /k/{ref}/moderation", s.handleModerate)
	mux.HandleFunc("GET /k/{ref}/export/{format}", s.handleExport)
	mux.HandleFunc("GET /p/{ref}", s.handleProposal)
	mux.HandleFunc("POST /p/{ref}/support", s.handleSupport)
	mux.HandleFunc("POST /p/{ref}/answer", s.handleAnswer)
	mux.HandleFunc("POST /p/{ref}/comments", s.handleComment)
	mux.HandleFunc("GET /comments/{id}/edit", s.handleCommentEditForm)
	mux.HandleFunc("POST /comments/{id}/{action}", s.handleCommentAction)
	mux.HandleFunc("POST /flag", s.handleFlag)
	mux.HandleFunc("GET /admin/audit", s.handleAudit)
	mux.HandleFunc("GET /api/v1/consultations/{ref}/proposals", s.handleAPIProposals)
	mux.HandleFunc("GET /api/v1/proposals/{id}/comments", s.handleAPIComments)

	// Polls and surveys, and the IKM satisfaction survey (poll*.go, ikm*.go).
	mux.HandleFunc("GET /survei/{id}", s.handlePoll)
	mux.HandleFunc("POST /survei/{id}", s.handlePollSubmit)
	mux.HandleFunc("GET /survei/{id}/results", s.handlePollResults)
	mux.HandleFunc("GET /survei/{id}/results.csv", s.handlePollExport)
	mux.HandleFunc("GET /survei/{id}/results.xlsx", s.handlePollExport)
	mux.HandleFunc("GET /api/v1/polls/{id}/results", s.handleAPIPollResults)
	mux.HandleFunc("GET /ikm/{unit}", s.handleIKMForm)
	mux.HandleFunc("POST /ikm/{unit}", s.handleIKMSubmit)
	mux.HandleFunc("GET /ikm/{unit}/{period}", s.handleIKMReport)
	mux.HandleFunc("GET /api/v1/ikm/{unit}/{period}", s.handleAPIIKM)

	// Live results pages and the IKM admin pages: service units and their
	// element labels (poll_live.go, ikm_admin.go).
	mux.Handle("GET /survei/ws", s.results.ws)
	mux.HandleFunc("GET /admin/ikm", s.handleAdminIKM)
	mux.HandleFunc("POST /admin/ikm", s.handleAdminIKMCreate)
	mux.HandleFunc("GET /admin/ikm/{unit}", s.handleAdminIKMUnit)
	mux.HandleFunc("POST /admin/ikm/{unit}", s.handleAdminIKMLabels)

	// Live Q&A sessions (live*.go): join by code, the participant page and
	// its forms, the presenter view, the moderator page and its forms, and
	// the websocket (realtime/PROTOCOL.md).
	mux.HandleFunc("GET /live", s.handleLiveJoin)
	mux.Handle("GET /live/ws", s.live.ws)
	mux.HandleFunc("GET /live/{code}", s.handleLive)
	mux.HandleFunc("POST /live/{code}/ask", s.handleLiveAsk)
	mux.HandleFunc("POST /live/{code}/upvote", s.handleLiveUpvote)
	mux.HandleFunc("POST /live/{code}/answer", s.handleLiveAnswer)
	mux.HandleFunc("GET /live/{code}/present", s.handleLivePresent)
	mux.HandleFunc("GET /live/{code}/mod", s.handleLiveMod)
	mux.HandleFunc("POST /live/{code}/mod/question", s.handleLiveModQuestion)
	mux.HandleFunc("POST /live/{code}/mod/poll", s.handleLiveModPoll)
	mux.HandleFunc("POST /live/{code}/mod/session", s.handleLiveModSession)
	mux.HandleFunc("GET /live/{code}/export/{file}", s.handleLiveExport) // staff: the session's record (live_export.go)
	mux.HandleFunc("GET /k/{ref}/live", s.handleLiveList)
	mux.HandleFunc("POST /k/{ref}/live", s.handleLiveCreate)

	// Consultation report: page and JSON, for staff always and for everyone
	// once published (report.go).
	mux.HandleFunc("GET /k/{ref}/report", s.handleReport)
	mux.HandleFunc("GET /api/v1/consultations/{ref}/report", s.handleAPIReport)

	mux.HandleFunc("GET /api/v1/consultations", s.handleAPIConsultations)
	mux.HandleFunc("GET /api/v1/indicators", s.handleAPIIndicators)
	mux.HandleFunc("GET /api/v1/consultations/{ref}/statements", s.handleAPIStatements)

	// Search: the page behind the header's search box and its JSON twin
	// (search.go).
	mux.HandleFunc("GET /cari", s.handleSearch)
	mux.HandleFunc("GET /api/v1/search", s.handleAPISearch)

	// Consultation admin pages (details, rules, phases), focus groups with
	// invitations and members, follows and notifications, and reports of a
	// participant (consultation_admin.go, focusgroups.go, notifications.go,
	// flag_author.go).
	mux.HandleFunc("GET /admin/konsultasi", s.handleAdminConsultations)
	mux.HandleFunc("GET /admin/konsultasi/baru", s.handleAdminConsultationNew)
	mux.HandleFunc("POST /admin/konsultasi", s.handleAdminConsultationCreate)
	mux.HandleFunc("GET /admin/konsultasi/{ref}", s.handleAdminConsultation)
	mux.HandleFunc("POST /admin/konsultasi/{ref}", s.handleAdminConsultationUpdate)
	mux.HandleFunc("POST /admin/konsultasi/{ref}/aturan", s.handleAdminRules)
	mux.HandleFunc("POST /admin/konsultasi/{ref}/tahapan", s.handleAdminPhaseAdd)
	mux.HandleFunc("POST /admin/konsultasi/{ref}/tahapan/{id}/hapus", s.handleAdminPhaseRemove)
	mux.HandleFunc("GET /k/{ref}/kelompok", s.handleGroups)
	mux.HandleFunc("POST /k/{ref}/kelompok", s.handleGroupCreate)
	mux.HandleFunc("GET /k/{ref}/kelompok/{id}", s.handleGroup)
	mux.HandleFunc("POST /k/{ref}/kelompok/{id}/undangan", s.handleGroupInvite)
	mux.HandleFunc("POST /k/{ref}/kelompok/{id}/anggota/{user}/hapus", s.handleGroupRemove)
	mux.HandleFunc("GET /undangan/{token}", s.handleInvite)
	mux.HandleFunc("POST /undangan/{token}", s.handleInviteAccept)
	mux.HandleFunc("GET /notifikasi", s.handleNotifications)
	mux.HandleFunc("POST /notifikasi/baca", s.handleNotificationsRead)
	mux.HandleFunc("POST /k/{ref}/ikuti", s.handleFollow)
	mux.HandleFunc("POST /p/{ref}/ikuti", s.handleFollow)
	mux.HandleFunc("POST /flag/author", s.handleFlagAuthor)

	// Consultation files: cover image and documents, uploaded by admins
	// (the only route with a body over 1 MB) and served with the
	// consultation's visibility (files.go, files_serve.go).
	mux.HandleFunc("POST /admin/konsultasi/{ref}/berkas", s.handleFileUpload)
	mux.HandleFunc("POST /admin/konsultasi/{ref}/berkas/{id}/hapus", s.handleFileDelete)
	mux.HandleFunc("GET /k/{ref}/berkas/{id}/{name}", s.handleFile)

	// Complaints (pengaduan): the JSON API for staff tokens and public
	// intake (complaint_api.go).
	mux.HandleFunc("GET /api/v1/complaints", s.handleAPIComplaints)
	mux.HandleFunc("POST /api/v1/complaints", s.handleAPIComplaintCreate)
	mux.HandleFunc("GET /api/v1/complaints/stats", s.handleAPIComplaintStats)
	mux.HandleFunc("GET /api/v1/complaints/routing", s.handleAPIComplaintRouting)
	mux.HandleFunc("GET /api/v1/complaints/{number}", s.handleAPIComplaint)
	// Complaint channel webhooks, verified by the provider's signature
	// instead of CSRF (complaint_webhook.go; exempt in middleware.go).
	mux.HandleFunc("GET /webhook/whatsapp", s.handleWhatsAppVerify)
	mux.HandleFunc("POST /webhook/whatsapp", s.handleWhatsAppWebhook)

	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.Handle("GET /static/", s.static)
	mux.HandleFunc("/", s.handleNotFound)
	return mux
}
