package opinion

import (
	"errors"
	"fmt"
)

// Vote values, as stored in Vote.Value.
const (
	Agree    int8 = 1
	Pass     int8 = 0
	Disagree int8 = -1
)

// Reason keys, stored in Result.Reason when no groups are published. They
// are stable strings meant to be used as translation keys.
const (
	// ReasonTooFewParticipants: fewer than Options.MinParticipants people
	// cast at least Options.MinVotes votes.
	ReasonTooFewParticipants = "opinion.too_few_participants"
	// ReasonNoVariance: every qualifying participant sits at the same
	// point (for example everyone voted identically, or only passed).
	ReasonNoVariance = "opinion.no_variance"
	// ReasonNoDistinctGroups: every split left a group smaller than
	// Options.MinGroupSize, so no split could be published.
	ReasonNoDistinctGroups = "opinion.no_distinct_groups"
)

// ErrInvalidVote is returned (wrapped, with the participant and statement
// ids) when a Vote.Value is not -1, 0 or 1.
var ErrInvalidVote = errors.New("opinion: vote value must be -1, 0 or 1")

// ErrInvalidOptions is returned (wrapped) when an Options field is negative.
var ErrInvalidOptions = errors.New("opinion: invalid options")

// Vote is one participant's vote on one statement: Value is Agree (1),
// Disagree (-1) or Pass (0). Callers pass only votes on statements that are
// visible (not moderated out).
type Vote struct {
	Participant, Statement int64
	Value                  int8
}

// Options tunes Compute. The zero value selects the defaults given per field.
type Options struct {
	// MinVotes is the number of votes a participant needs to be clustered
	// (default 7, Pol.is's threshold; capped by the number of statements).
	MinVotes int
	// MinParticipants is the number of qualifying participants needed
	// before any group is published (default 10).
	MinParticipants int
	// MinGroupSize is the smallest group that may be published (default 3;
	// values below 2 are raised to 2 so one person's votes never show).
	MinGroupSize int
	// MaxK is the largest number of groups tried (default 5, as Pol.is).
	MaxK int
	// Seed seeds k-means++ and the power-iteration start vectors. The same
	// votes and seed always give the same Result.
	Seed int64
}

func (o Options) withDefaults() (Options, error) {
	if o.MinVotes < 0 || o.MinParticipants < 0 || o.MinGroupSize < 0 || o.MaxK < 0 {
		return o, fmt.Errorf("%w: negative field in %+v", ErrInvalidOptions, o)
	}
	if o.MinVotes == 0 {
		o.MinVotes = 7
	}
	if o.MinParticipants == 0 {
		o.MinParticipants = 10
	}
	if o.MinGroupSize == 0 {
		o.MinGroupSize = 3
	}
	if o.MinGroupSize < 2 {
		o.MinGroupSize = 2
	}
	if o.MaxK == 0 {
		o.MaxK = 5
	}
	if o.MaxK < 2 {
		o.MaxK = 2
	}
	return o, nil
}

// Result is the outcome of Compute. Its slices are empty rather than nil
// (they encode as [] in JSON) and all its floats are finite.
type Result struct {
	// Reason is empty when Groups holds at least two groups, otherwise one
	// of the Reason constants.
	Reason string `json:"reason,omitempty"`
	// Participants holds every participant who voted, sorted by ID.
	Participants []ParticipantPoint `json:"participants"`
	// Groups holds the opinion groups, largest first; Group.ID is the index.
	Groups []Group `json:"groups"`
	// Silhouette is the mean silhouette (−1..1) of the chosen grouping,
	// computed over base clusters; 0 when there are no groups.
	Silhouette float64 `json:"silhouette"`
	// Statements holds every statement that received a vote, sorted by ID.
	Statements []StatementStats `json:"statements"`
	// Majority lists up to 5 statements most of all participants agree with
	// and up to 5 most disagree with (Pol.is "consensus" comments).
	Majority []Opinion `json:"majority"`
	// Divisive lists up to 5 statement IDs whose agree share differs most
	// between groups, most divisive first (empty without groups).
	Divisive []int64 `json:"divisive"`
}

// ParticipantPoint is one participant's place on the opinion map.
type ParticipantPoint struct {
	ID int64 `json:"id"`
	// X, Y are the scaled projection on the first two principal components
	// (dimensionless vote units); 0,0 when there is no variance.
	X float64 `json:"x"`
	Y float64 `json:"y"`
	// Votes is the number of votes cast, passes included.
	Votes int `json:"votes"`
	// Group is the index into Result.Groups, or -1 when not clustered.
	Group int `json:"group"`
}

// Group is one opinion group.
type Group struct {
	ID int `json:"id"`
	// Size is the number of participants in the group.
	Size int `json:"size"`
	// X, Y is the size-weighted centre of the group on the opinion map.
	X float64 `json:"x"`
	Y float64 `json:"y"`
	// Representative holds up to 5 statements that set this group apart,
	// agrees first, selected as Pol.is's select-rep-comments does.
	Representative []Opinion `json:"representative"`
}

// Opinion describes a statement's support in a population (a group for
// representative statements, everyone for majority opinions).
type Opinion struct {
	Statement int64 `json:"statement"`
	// Direction is "agree" or "disagree": the stance that is representative.
	Direction string `json:"direction"`
	// Count is the number of participants in the population who took
	// Direction, out of Seen who voted (passes included).
	Count int `json:"count"`
	Seen  int `json:"seen"`
	// Share is the smoothed share (Count+1)/(Seen+2) taking Direction.
	Share float64 `json:"share"`
	// ShareOutside is the same smoothed share among members of the other
	// groups (representative statements only).
	ShareOutside float64 `json:"shareOutside,omitempty"`
	// AgreeIn and AgreeOut are the smoothed agree shares inside and outside
	// the group (representative statements only).
	AgreeIn  float64 `json:"agreeIn,omitempty"`
	AgreeOut float64 `json:"agreeOut,omitempty"`
	// Ratio is Share/ShareOutside (Pol.is "ra"/"rd"); representative only.
	Ratio float64 `json:"ratio,omitempty"`
	// Z is the one-proportion z score of Share against 1/2; ZOutside the
	// two-proportion z score of Share against ShareOutside.
	Z        float64 `json:"z"`
	ZOutside float64 `json:"zOutside,omitempty"`
}

// Tally counts votes on one statement in one population.
type Tally struct {
	Agree    int `json:"agree"`
	Disagree int `json:"disagree"`
	Pass     int `json:"pass"`
}

// Seen is the number of votes of any kind in the tally.
func (t Tally) Seen() int { return t.Agree + t.Disagree + t.Pass }

// StatementStats summarises the votes on one statement.
type StatementStats struct {
	ID int64 `json:"id"`
	// All counts every participant's vote.
	All Tally `json:"all"`
	// PerGroup counts group members' votes, indexed like Result.Groups.
	PerGroup []Tally `json:"perGroup"`
	// Consensus is Pol.is's group-informed consensus: the product over
	// groups of (agree+1)/(seen+2); with no groups, the overall smoothed
	// agree share. 0..1.
	Consensus float64 `json:"consensus"`
	// ConsensusDisagree is the same product for disagreement.
	ConsensusDisagree float64 `json:"consensusDisagree"`
	// Divisiveness is the largest minus the smallest smoothed agree share
	// across groups, 0..1; 0 without groups.
	Divisiveness float64 `json:"divisiveness"`
}

// Compute groups participants by their votes. It returns ErrInvalidVote or
// ErrInvalidOptions (wrapped) for bad input; degenerate data (no votes, too
// few participants, no variance) is not an error but a Result with Reason.
func Compute(votes []Vote, opts Options) (Result, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return Result{}, err
	}
	m, err := newMatrix(votes)
	if err != nil {
		return Result{}, err
	}
	res := Result{Participants: []ParticipantPoint{}, Groups: []Group{}, Statements: []StatementStats{},
		Majority: []Opinion{}, Divisive: []int64{}}
	xy := m.project(pca2(m, o.Seed))
	qualify := m.qualifying(o.MinVotes)
	var g grouping
	if len(qualify) < o.MinParticipants {
		res.Reason = ReasonTooFewParticipants
	} else {
		g = findGroups(xy, qualify, o)
		res.Reason, res.Silhouette = g.reason, g.silhouette
	}
	member := make([]int, m.rows())
	for i := range member {
		member[i] = -1
	}
	for gi, rows := range g.members {
		for _, r := range rows {
			member[r] = gi
		}
	}
	for i, id := range m.pids {
		res.Participants = append(res.Participants, ParticipantPoint{ID: id, X: xy[i][0], Y: xy[i][1],
			Votes: m.rowLen(i), Group: member[i]})
	}
	for gi, rows := range g.members {
		res.Groups = append(res.Groups, Group{ID: gi, Size: len(rows), X: g.centers[gi][0], Y: g.centers[gi][1]})
	}
	summarize(m, member, len(g.members), &res)
	sanitize(&res)
	return res, nil
}
