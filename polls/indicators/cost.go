package indicators

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/rembug/rembug/forum/messaging"
	"github.com/uptrace/bun"
)

// Cost is the operational-cost indicator (biaya operasional), in whole
// rupiah, over the months that start inside the range:
//
//   - Items: the sum per category of indicator_costs entered by admins;
//   - SMS, WhatsApp: messages sent on those channels (message_outbox rows
//     of forum/messaging in state sent, by finished_at), and their cost at
//     the unit prices in Settings;
//   - Digital: items plus messages;
//   - Handled: complaints answered in the range (complaints.answered_at);
//   - PerComplaint: Digital / Handled; PerParticipant: Digital / active
//     participants (Active.Total); nil when the divisor is 0;
//   - Traditional: the pemda's own cost of one transaction over a
//     traditional channel (counter, letter; Settings.TraditionalCost), and
//     TraditionalTotal what the handled complaints would have cost that way.
type Cost struct {
	Items            map[string]int64 `json:"items_idr"`
	SMS              int              `json:"sms_messages"`
	WhatsApp         int              `json:"whatsapp_messages"`
	Messages         int64            `json:"messages_idr"`
	Digital          int64            `json:"digital_idr"`
	Handled          int              `json:"complaints_handled"`
	PerComplaint     *float64         `json:"per_complaint_idr"`
	PerParticipant   *float64         `json:"per_participant_idr"`
	Traditional      int64            `json:"traditional_per_transaction_idr"`
	TraditionalTotal int64            `json:"traditional_equivalent_idr"`
}

// costOf computes Cost over [from, to) in loc with active participants.
func costOf(ctx context.Context, db bun.IDB, st Settings, from, to time.Time, loc *time.Location, active int) (Cost, error) {
	c := Cost{Items: map[string]int64{CostHosting: 0, CostStaff: 0, CostTraining: 0, CostOther: 0}, Traditional: st.TraditionalCost}
	var months []string
	for m := periodStart(Month, from, loc); m.Before(to); m = nextStart(Month, m) {
		if !m.Before(from) {
			months = append(months, periodKey(Month, m, loc))
		}
	}
	if len(months) > 0 {
		var rows []struct {
			Category string `bun:"category"`
			Sum      int64  `bun:"total"`
		}
		err := db.NewRaw(`SELECT category, SUM(amount) AS total FROM indicator_costs WHERE month IN (?) GROUP BY category`,
			bun.In(months)).Scan(ctx, &rows)
		if err != nil {
			return c, fmt.Errorf("cost items: %w", err)
		}
		for _, r := range rows {
			c.Items[r.Category] += r.Sum
			c.Digital += r.Sum
		}
	}
	var msgs []struct {
		Channel string `bun:"channel"`
		N       int    `bun:"n"`
	}
	err := db.NewRaw(`SELECT channel, COUNT(*) AS n FROM message_outbox WHERE channel IN (?, ?) AND state = ?
		AND finished_at >= ? AND finished_at < ? GROUP BY channel`,
		messaging.SMS, messaging.WhatsApp, messaging.StateSent, from, to).Scan(ctx, &msgs)
	if err != nil {
		return c, fmt.Errorf("messages sent: %w", err)
	}
	for _, m := range msgs {
		if m.Channel == ChannelSMS {
			c.SMS = m.N
		} else {
			c.WhatsApp = m.N
		}
	}
	c.Messages = int64(c.SMS)*st.SMSPrice + int64(c.WhatsApp)*st.WhatsAppPrice
	c.Digital += c.Messages
	err = db.NewRaw(`SELECT COUNT(*) FROM complaints WHERE answered_at >= ? AND answered_at < ?`, from, to).Scan(ctx, &c.Handled)
	if err != nil {
		return c, fmt.Errorf("complaints handled: %w", err)
	}
	c.PerComplaint, c.PerParticipant = per(c.Digital, c.Handled), per(c.Digital, active)
	c.TraditionalTotal = int64(c.Handled) * st.TraditionalCost
	return c, nil
}

func per(total int64, n int) *float64 {
	if n == 0 {
		return nil
	}
	v := math.Round(float64(total)/float64(n)*100) / 100
	return &v
}
