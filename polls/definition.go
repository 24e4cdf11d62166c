package polls

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Definition is a survey written as JSON, for `rembug poll create`:
//
//	{"consultation": "taman-kota", "title": "…", "description": "…",
//	 "anonymous": false, "locked": false,
//	 "opens": "2025-12-01T08:00:00+07:00", "closes": "2025-12-31T23:59:00+07:00",
//	 "questions": [{"code": "q1", "kind": "single", "text": "…", "required": true,
//	                "options": ["A", "B"]},
//	               {"code": "q2", "kind": "yesno", "text": "…",
//	                "show_if": {"question": "q1", "equals": "B"}}]}
//
// An anonymous survey is always locked (no answer can be edited, there being
// no link from a response to its participant): "locked": false with
// "anonymous": true is refused rather than silently ignored.
//
// Times are RFC 3339 with an offset. Question fields are those of Spec;
// show_if.equals names an option by its text or 0-based index, "yes"/"ya"
// or "no"/"tidak" for yes/no, or a number for rating and NPS.
type Definition struct {
	Consultation string          `json:"consultation"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	Anonymous    bool            `json:"anonymous"`
	Locked       *bool           `json:"locked"` // nil: false, or true when anonymous
	Opens        time.Time       `json:"opens"`
	Closes       time.Time       `json:"closes"`
	Questions    []QuestionInput `json:"questions"`
}

// QuestionInput is one question of a Definition.
type QuestionInput struct {
	Code     string   `json:"code"`
	Kind     Kind     `json:"kind"`
	Text     string   `json:"text"`
	Required bool     `json:"required"`
	Options  []string `json:"options"`
	Items    []string `json:"items"`
	Min      int      `json:"min"`
	Max      int      `json:"max"`
	Method   string   `json:"method"`
	ShowIf   *struct {
		Question string          `json:"question"`
		Equals   json.RawMessage `json:"equals"`
	} `json:"show_if"`
}

// ParseDefinition reads a Definition from r, rejecting unknown fields. It
// returns an error naming the problem (bad JSON, a time that is not RFC 3339).
func ParseDefinition(r io.Reader) (*Definition, error) {
	dec := json.NewDecoder(io.LimitReader(r, 4<<20))
	dec.DisallowUnknownFields()
	d := new(Definition)
	if err := dec.Decode(d); err != nil {
		return nil, fmt.Errorf("poll definition: %w", err)
	}
	return d, nil
}

// Build turns d into a Survey (ConsultationID unset) and its questions,
// resolving show_if values. Validation of limits and rules happens in
// CreateSurvey; Build only fails on a show_if it cannot resolve.
func (d *Definition) Build() (*Survey, []Question, error) {
	if d.Anonymous && d.Locked != nil && !*d.Locked {
		return nil, nil, fmt.Errorf(`an anonymous survey is always locked (no answer can be edited, as no response is linked to its participant): remove "locked": false or set "anonymous": false`)
	}
	s := &Survey{Title: d.Title, Description: d.Description, Anonymous: d.Anonymous, Locked: d.Locked != nil && *d.Locked,
		OpensAt: d.Opens, ClosesAt: d.Closes}
	qs := make([]Question, len(d.Questions))
	byCode := map[string]*Question{}
	for i, in := range d.Questions {
		qs[i] = Question{Code: in.Code, Kind: in.Kind, Text: in.Text, Required: in.Required,
			Spec: Spec{Options: in.Options, Items: in.Items, Min: in.Min, Max: in.Max, Method: in.Method}}
		if (in.Kind == KindSingle || in.Kind == KindMultiple || in.Kind == KindRanked) && len(in.Options) == 0 {
			return nil, nil, fmt.Errorf("question %q: a %s question needs options", in.Code, in.Kind)
		}
		if in.ShowIf != nil {
			t := byCode[in.ShowIf.Question]
			if t == nil {
				return nil, nil, fmt.Errorf("question %q: show_if refers to %q, which is not an earlier question", in.Code, in.ShowIf.Question)
			}
			v, err := conditionValue(t, in.ShowIf.Equals)
			if err != nil {
				return nil, nil, fmt.Errorf("question %q: show_if: %w", in.Code, err)
			}
			qs[i].Spec.ShowIf = &Condition{Question: t.Code, Value: v}
		}
		byCode[in.Code] = &qs[i]
	}
	return s, qs, nil
}

func conditionValue(t *Question, raw json.RawMessage) (int, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		var n int
		if err := json.Unmarshal(raw, &n); err != nil {
			return 0, fmt.Errorf("equals must be a string or a number, got %s", raw)
		}
		s = strconv.Itoa(n)
	}
	switch t.Kind {
	case KindYesNo:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "yes", "ya", "0":
			return 0, nil
		case "no", "tidak", "1":
			return 1, nil
		}
	case KindSingle, KindMultiple, KindRanked:
		for i, o := range t.Spec.Options {
			if o == s {
				return i, nil
			}
		}
		if n, err := strconv.Atoi(s); err == nil {
			return n, nil
		}
	case KindRating, KindNPS:
		if n, err := strconv.Atoi(s); err == nil {
			return n, nil
		}
	}
	return 0, fmt.Errorf("%q is not an answer of question %q", s, t.Code)
}
