package search_test

import _ "embed"

// indonesianRoots is the stemmer's root dictionary, reused as the
// generator's vocabulary.
//
//go:embed indonesian/roots.txt
var indonesianRoots string
