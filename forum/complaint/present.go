package complaint

import (
	"context"
	"fmt"
	"time"

	"github.com/rembug/rembug/forum/errs"
	"github.com/uptrace/bun"
)

// Reporter is a complaint's reporter as shown to those who may see them.
type Reporter struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// Presented is a complaint filtered for one actor by Access: the single
// shape pages, the JSON API and exports show. Text is masked unless the
// actor may read it whole; Reporter is nil and Timeline has no internal
// events unless the actor may see them; Deadline is set for staff.
type Presented struct {
	Number          string     `json:"number"`
	Status          Status     `json:"status"`
	Channel         Channel    `json:"channel"`
	Assisted        bool       `json:"assisted"` // recorded by an officer for a citizen at the desk (dibantu petugas)
	Text            string     `json:"text"`
	Topic           string     `json:"topic"`
	Kecamatan       string     `json:"kecamatan"`
	Kelurahan       string     `json:"kelurahan"`
	Agencies        []string   `json:"agencies"`
	Public          bool       `json:"public"`
	Confidential    bool       `json:"confidential"`
	LaporID         string     `json:"lapor_id,omitempty"`
	ReceivedAt      time.Time  `json:"received_at"`
	FirstResponseAt *time.Time `json:"first_response_at,omitempty"`
	AnsweredAt      *time.Time `json:"answered_at,omitempty"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
	RejectReason    string     `json:"reject_reason,omitempty"`
	MergedInto      string     `json:"merged_into,omitempty"`
	Rating          int        `json:"rating,omitempty"`         // 1–4, 0 when not rated
	RatingComment   string     `json:"rating_comment,omitempty"` // the citizen's words with the rating
	ReopenCount     int        `json:"reopen_count"`
	Reporter        *Reporter  `json:"reporter,omitempty"`
	Timeline        []Event    `json:"timeline,omitempty"`
	Deadline        *SLA       `json:"deadline,omitempty"`
	View            View       `json:"-"`
	ID              int64      `json:"-"`
}

// Present returns c as a may see it, with its timeline when timeline is
// set. errs.ErrNotFound when a may not see it at all.
func (s *Store) Present(ctx context.Context, a Actor, c *Complaint, timeline bool) (*Presented, error) {
	v := s.Access(a, c)
	if !v.Read {
		return nil, errs.ErrNotFound
	}
	p := &Presented{Number: c.Number, Status: c.Status, Channel: c.Channel, Assisted: c.Assisted(), Text: textFor(v, c.Body),
		Public: c.Public, Confidential: c.Confidential, ReceivedAt: c.ReceivedAt, FirstResponseAt: c.FirstResponse,
		AnsweredAt: c.AnsweredAt, ClosedAt: c.ClosedAt, RejectReason: c.RejectReason, ReopenCount: c.ReopenCount,
		View: v, ID: c.ID, Agencies: []string{}}
	if v.Body {
		p.Rating, p.RatingComment, p.LaporID = c.Rating, c.RatingComment, c.LaporID
	}
	if v.Reporter && (c.ReporterName != "" || c.ReporterPhone != "" || c.ReporterEmail != "") {
		p.Reporter = &Reporter{Name: c.ReporterName, Phone: c.ReporterPhone, Email: c.ReporterEmail}
	}
	if err := s.names(ctx, c, p); err != nil {
		return nil, err
	}
	if timeline {
		es, err := s.Timeline(ctx, c)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e.Internal && !v.Internal {
				continue
			}
			if !v.Body {
				e.Body = Mask(e.Body)
			}
			p.Timeline = append(p.Timeline, e)
		}
	}
	if v.Internal && c.Status.Open() {
		sla, err := s.Clock(ctx, c)
		if err != nil {
			return nil, err
		}
		p.Deadline = &sla
	}
	return p, nil
}

// names fills in the topic, area, agency and merge-target names.
func (s *Store) names(ctx context.Context, c *Complaint, p *Presented) error {
	if c.TopicID != nil {
		if err := s.db.NewSelect().Table("complaint_topics").Column("name").Where("id = ?", *c.TopicID).Scan(ctx, &p.Topic); err != nil {
			return fmt.Errorf("topic name: %w", err)
		}
	}
	if c.AreaID != nil {
		var a Area
		if err := s.db.NewSelect().Model(&a).Where("id = ?", *c.AreaID).Scan(ctx); err != nil {
			return fmt.Errorf("area name: %w", err)
		}
		p.Kecamatan, p.Kelurahan = a.Kecamatan, a.Kelurahan
	}
	if len(c.Agencies) > 0 {
		if err := s.db.NewSelect().Table("complaint_agencies").Column("name").Where("id IN (?)", bun.In(c.Agencies)).
			Order("name").Scan(ctx, &p.Agencies); err != nil {
			return fmt.Errorf("agency names: %w", err)
		}
	}
	if c.MergedIntoID != nil {
		if err := s.db.NewSelect().Table("complaints").Column("number").Where("id = ?", *c.MergedIntoID).Scan(ctx, &p.MergedInto); err != nil {
			return fmt.Errorf("merge target: %w", err)
		}
	}
	return nil
}
