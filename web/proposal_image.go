package web

import (
	"net/http"
	"net/url"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
)

// A proposal's image (forum.ProposalImage) is chosen on the new-proposal
// form, shown on the proposal's page at /p/{ref}/gambar and, as its card
// image, on the proposal list at /p/{ref}/gambar/kartu.

// maxProposalBody caps the new-proposal forms' body: room for an image of
// three times its limit plus the text (a 20,000-character body is at most
// 80 KB of UTF-8) and the multipart framing. A body over the cap loses
// every field (the multipart parse fails), so the room lets a phone photo
// a little over forum.MaxProposalImageBytes be refused by its own size
// check instead, with the citizen's text still in the form (the desk's
// form shows it again).
const maxProposalBody = 3*forum.MaxProposalImageBytes + 256<<10

// proposalImageInput reads the "image" file and its "image_alt" text from
// a multipart new-proposal form; nil for a plain form or an empty file
// input. forum.CreateProposal checks the image itself.
func proposalImageInput(r *http.Request) (*forum.ImageInput, error) {
	fhs, err := formFiles(r, "image", maxProposalBody)
	if err != nil || len(fhs) == 0 {
		return nil, err
	}
	b, err := readFormFile(fhs[0], forum.MaxProposalImageBytes, fileTooBig(forum.FileProposalImage, forum.MaxProposalImageBytes))
	if err != nil {
		return nil, err
	}
	return &forum.ImageInput{Name: fhs[0].Filename, Alt: r.PostFormValue("image_alt"), Data: b}, nil
}

// proposalImageView is a proposal's image as a page shows it: its address,
// size in pixels and text alternative (the proposal's title when its
// author gave none).
type proposalImageView struct {
	URL, Alt string
	W, H     int
}

// proposalImageURL is where proposal p's image is served; thumb asks for
// its card image.
func proposalImageURL(p *forum.Proposal, thumb bool) string {
	u := "/p/" + url.PathEscape(p.Ref()) + "/gambar"
	if thumb {
		u += "/kartu"
	}
	return u
}

// proposalImageViews returns the images of ps (which the viewer may read),
// by proposal id, as cards show them when thumb is set, else as the page
// does.
func (s *Server) proposalImageViews(r *http.Request, ps []forum.Proposal, thumb bool) (map[int64]proposalImageView, error) {
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	ims, err := forum.ProposalImages(r.Context(), s.db, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]proposalImageView, len(ims))
	for i := range ps {
		im, ok := ims[ps[i].ID]
		if !ok {
			continue
		}
		w, h := im.Width, im.Height
		if thumb {
			w, h = forum.ThumbSize(w, h)
		}
		alt := im.Alt
		if alt == "" {
			alt = ps[i].Title
		}
		out[ps[i].ID] = proposalImageView{URL: proposalImageURL(&ps[i], thumb), Alt: alt, W: w, H: h}
	}
	return out, nil
}

// handleProposalImage serves /p/{ref}/gambar (the image as uploaded) and
// /p/{ref}/gambar/kartu (its card image, a small JPEG) to whoever may read
// the proposal (forum.ProposalImageData); 404 for anyone else, as for a
// proposal without an image. Shared caches keep it only while the
// proposal is public: published, outside focus groups, in a public
// consultation.
func (s *Server) handleProposalImage(w http.ResponseWriter, r *http.Request) {
	id, err := forum.ProposalIDFromRef(r.PathValue("ref"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.readerViewer(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	var thumb bool
	switch r.PathValue("size") {
	case "":
	case "kartu":
		thumb = true
	default:
		s.serveError(w, r, errs.ErrNotFound)
		return
	}
	im, p, c, err := forum.ProposalImageData(r.Context(), s.db, v, id, thumb)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	f := storedFile{ContentType: im.ContentType, SHA256: im.SHA256, Thumb: thumb, Name: im.Name, Inline: true,
		Public: c.Public() && p.FocusGroupID == 0 && p.State == forum.StatePublished, Modified: im.CreatedAt}
	data := im.Data
	if thumb {
		f.ContentType, f.Name, data = "image/jpeg", "kartu.jpg", im.Thumb
	}
	s.serveStored(w, r, f, func() ([]byte, error) { return data, nil })
}

// handleProposalImageRemove removes the {ref} proposal's image: its author's
// own choice, or a moderator's with a reason (forum.Store.RemoveProposalImage
// decides who may), and returns to the proposal.
func (s *Server) handleProposalImageRemove(w http.ResponseWriter, r *http.Request) {
	id, err := forum.ProposalIDFromRef(r.PathValue("ref"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.forumViewer(r, false) // a new participant is never the author
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.forum.RemoveProposalImage(r.Context(), v, id, r.PostFormValue("reason")); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/p/"+url.PathEscape(r.PathValue("ref")), http.StatusSeeOther)
}
