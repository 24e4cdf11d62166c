package routing

import "math"

// alpha is the additive smoothing of complement naive Bayes.
const alpha = 1.0

// cnb holds complement naive Bayes statistics for one label set: per class
// the summed term weights, and the same over all classes, so that a
// class's complement is "all minus the class", updated in O(terms).
type cnb struct {
	index      map[string]int
	names      []string
	classTerm  []map[int32]float64
	classTotal []float64
	classDocs  []int
	termTotal  map[int32]float64
	total      float64
	docs       int
}

func newCNB() *cnb { return &cnb{index: map[string]int{}, termTotal: map[int32]float64{}} }

// learn adds document vec to class name and returns the class index.
func (c *cnb) learn(name string, vec map[int32]float64) int {
	k, ok := c.index[name]
	if !ok {
		k = len(c.names)
		c.index[name] = k
		c.names = append(c.names, name)
		c.classTerm = append(c.classTerm, map[int32]float64{})
		c.classTotal = append(c.classTotal, 0)
		c.classDocs = append(c.classDocs, 0)
	}
	for id, w := range vec {
		c.classTerm[k][id] += w
		c.termTotal[id] += w
		c.classTotal[k] += w
		c.total += w
	}
	c.classDocs[k]++
	c.docs++
	return k
}

// scores returns each class's score for query weights q over a vocabulary
// of v terms: the class's log-likelihood minus its complement's, plus the
// log prior.
func (c *cnb) scores(q map[int32]float64, v int) []float64 {
	out := make([]float64, len(c.names))
	for k := range c.names {
		logComp := math.Log(c.total - c.classTotal[k] + alpha*float64(v))
		logIn := math.Log(c.classTotal[k] + alpha*float64(v))
		s := 0.0
		for id, w := range q {
			in := c.classTerm[k][id]
			comp := c.termTotal[id] - in
			// evidence for the class minus evidence for its complement
			s += w * ((math.Log(in+alpha) - logIn) - (math.Log(comp+alpha) - logComp))
		}
		out[k] = s + math.Log(float64(c.classDocs[k])/float64(c.docs))
	}
	return out
}
