package forum

import "github.com/rembug/rembug/forum/errs"

// Policy is what sets one item kind apart in the access rule (Can). The
// space rules (draft consultation, focus group, moderation state, blocks)
// apply to every kind; a Policy only adds to them.
type Policy struct {
	// Read, when set, is asked after the consultation is known to be
	// readable; mod tells whether v moderates the consultation. It returns
	// nil, errs.ErrNotFound or a errs.Forbidden error.
	Read func(v Viewer, it Item, mod bool) error
	// Feature is the phase feature (FeatureProposals, …) that writes of
	// this kind need; "" needs only an open consultation.
	Feature string
	// NeedsParticipant is set when a write is recorded against the
	// viewer's participant (all but administration).
	NeedsParticipant bool
	// ReadOnly kinds refuse ActWrite to everyone (reports, exports, files:
	// they are written through administration).
	ReadOnly bool
	// Outside, when set, is the whole rule of a kind that lives outside
	// any consultation (complaints): Can returns what it returns, for
	// every action.
	Outside func(v Viewer, a Action, it Item) error
}

// policies holds one Policy per item kind.
var policies = map[ItemKind]Policy{
	ItemConsultation:  {NeedsParticipant: true},
	ItemPhase:         {ReadOnly: true},
	ItemFocusGroup:    {NeedsParticipant: true},
	ItemProposal:      {Feature: FeatureProposals, NeedsParticipant: true},
	ItemComment:       {Feature: FeatureComments, NeedsParticipant: true},
	ItemSupport:       {Feature: FeatureSupports, NeedsParticipant: true},
	ItemStatement:     {Feature: FeatureStatements, NeedsParticipant: true},
	ItemPoll:          {Feature: FeaturePolls, NeedsParticipant: true},
	ItemLiveSession:   {Feature: FeatureLive, NeedsParticipant: true},
	ItemQuestion:      {Feature: FeatureLive, NeedsParticipant: true},
	ItemLivePoll:      {Feature: FeatureLive, NeedsParticipant: true},
	ItemReport:        {Read: readReport, ReadOnly: true},
	ItemExport:        {Read: readStaff, ReadOnly: true},
	ItemFile:          {ReadOnly: true},
	ItemNotification:  {Read: readOwn, ReadOnly: true},
	ItemModerationLog: {Read: readStaff, ReadOnly: true},
	ItemDraftText:     {ReadOnly: true},
	ItemDraftInput:    {Feature: FeatureComments, NeedsParticipant: true},
	ItemSite:          {ReadOnly: true},
	ItemMeeting:       {NeedsParticipant: true},

	ItemComplaint:         {Outside: complaintRule},
	ItemComplaintText:     {Outside: complaintRule},
	ItemComplaintReporter: {Outside: complaintRule},
	ItemComplaintHandling: {Outside: complaintRule},

	ItemEvaluation:     {Outside: evaluationRule},
	ItemRecommendation: {Outside: evaluationRule},
}

// evaluationRule is the rule of an evaluation cycle and its
// recommendations: staff (analysts, moderators, admins) read and export
// every cycle, everyone else a published one's report (errs.ErrNotFound
// otherwise); the officers of a recommendation's owning agency also read
// that recommendation (ItemRecommendation with Item.Agency) while its
// cycle is unpublished, since they are the ones who carry it out; admins
// plan, close, write findings and recommendations and publish
// (ActAdminister).
func evaluationRule(v Viewer, a Action, it Item) error {
	owner := it.Kind == ItemRecommendation && it.Agency != 0 && v.OfficerOfAny([]int64{it.Agency})
	if !it.Published && !v.Analyst() && !owner {
		return errs.ErrNotFound
	}
	switch a {
	case ActRead, ActExport:
		return nil
	case ActAdminister:
		if v.Admin() {
			return nil
		}
	}
	return forbidden()
}

// readReport: a consultation's report is read by everyone once its
// organizer published it, before that by staff and its moderators.
func readReport(v Viewer, it Item, mod bool) error {
	if it.Published || mod || v.AnalyzesIn(it.Consultation.ID) {
		return nil
	}
	return errs.E(errs.Forbidden, "report.not_published", nil)
}

// readStaff: exports and the moderation queue are read by analysts (staff
// or named for the consultation) and the consultation's moderators.
func readStaff(v Viewer, it Item, mod bool) error {
	if mod || v.AnalyzesIn(it.Consultation.ID) {
		return nil
	}
	return forbidden()
}

// readOwn: a notification is read by its recipient only, and only while
// the recipient reads what it is about (the rest of the Item).
func readOwn(v Viewer, it Item, _ bool) error {
	if v.User == nil || v.User.ID != it.OwnerID {
		return errs.ErrNotFound
	}
	return nil
}
