package web

import "github.com/rembug/rembug/realtime/live"

// modList is one of the moderator's four lists of questions: Key names it
// (the translation "live.mod.list."+Key), Questions in the page's order.
type modList struct {
	Key       string
	Questions []*live.Question
}

// ModLists splits the session's questions into the moderator's four lists,
// as Slido's moderator view does: incoming (waiting for approval), approved
// (live for participants), on screen (the question on stage) and done
// (answered, hidden or archived), each in the page's sort order.
func (d *livePage) ModLists() []modList {
	lists := []modList{{Key: "incoming"}, {Key: "approved"}, {Key: "stage"}, {Key: "done"}}
	stage := d.Stage
	for _, q := range d.Questions {
		i := 3
		switch {
		case stage != nil && q.ID == stage.ID:
			i = 2
		case q.Status == live.StatusPending:
			i = 0
		case q.Status == live.StatusApproved && !q.Answered:
			i = 1
		}
		lists[i].Questions = append(lists[i].Questions, q)
	}
	return lists
}
