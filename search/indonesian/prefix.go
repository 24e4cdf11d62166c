package indonesian

import "strings"

// alternative is one way to remove a prefix: kind names the prefix family
// ("di", "ke", "se", "be", "te", "me", "pe") and rest is the word left,
// recoded where the prefix ate the root's first letter.
type alternative struct {
	kind, rest string
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// at returns w[i], or 0 past the end.
func at(w string, i int) byte {
	if i < len(w) {
		return w[i]
	}
	return 0
}

// prefixAlternatives lists, in the order they are tried, the ways to remove
// the prefix that w starts with. The rules are those of Asian et al. (2005)
// table 2 with Arifin et al. (2009)'s additions; the comments give each
// rule's pattern, V a vowel, C a consonant, A any letter, P a fragment.
func prefixAlternatives(w string) []alternative {
	if len(w) < 4 {
		return nil
	}
	switch w[:2] {
	case "di", "ke", "se":
		return []alternative{{w[:2], w[2:]}}
	case "be":
		return beTe("be", w)
	case "te":
		return beTe("te", w)
	case "me":
		return meN("me", w)
	case "pe":
		return peN(w)
	}
	return nil
}

// beTe handles ber- and ter- (rules 1–9, 35).
func beTe(kind, w string) []alternative {
	if w == "belajar" {
		return []alternative{{kind, "ajar"}}
	}
	c2 := at(w, 2)
	switch {
	case c2 == 'r' && isVowel(at(w, 3)): // berV → ber-V | be-rV
		return []alternative{{kind, w[3:]}, {kind, w[2:]}}
	case c2 == 'r' && at(w, 3) != 'r': // berCAP, berCAerV → ber-C…
		return []alternative{{kind, w[3:]}}
	case !isVowel(c2) && c2 != 'r' && strings.HasPrefix(w[3:], "er"): // beC1erC2 → be-C1erC2
		return []alternative{{kind, w[2:]}}
	case kind == "be" && c2 == 'l' && strings.HasPrefix(w, "belajar"):
		return []alternative{{kind, w[3:]}}
	}
	return nil
}

// meN handles me-, mem-, men-, meng-, meny- (rules 10–19 and ECS's
// mempe- and menge-).
func meN(kind, w string) []alternative {
	c2, c3 := at(w, 2), at(w, 3)
	switch {
	case c2 == 'l' || c2 == 'r' || c2 == 'w' || c2 == 'y': // me{l|r|w|y}V
		return []alternative{{kind, w[2:]}}
	case c2 == 'm':
		switch {
		case c3 == 'b' || c3 == 'f' || c3 == 'v': // mem{b|f|v} → mem-
			return []alternative{{kind, w[3:]}}
		case c3 == 'p': // mempe → mem-pe; mempV → mem-pV
			return []alternative{{kind, w[3:]}}
		case isVowel(c3) || (c3 == 'r' && isVowel(at(w, 4))): // mem{rV|V} → me-m… | me-p…
			return []alternative{{kind, "m" + w[3:]}, {kind, "p" + w[3:]}}
		}
	case c2 == 'n':
		switch {
		case c3 == 'c' || c3 == 'd' || c3 == 'j' || c3 == 's' || c3 == 'z' || c3 == 't': // men{c|d|j|s|z}
			return []alternative{{kind, w[3:]}}
		case isVowel(c3): // menV → me-nV | me-tV
			return []alternative{{kind, "t" + w[3:]}, {kind, "n" + w[3:]}}
		case c3 == 'g':
			return meng(kind, w)
		case c3 == 'y' && isVowel(at(w, 4)): // menyV → meny-sV | me-nyV
			return []alternative{{kind, "s" + w[4:]}, {kind, w[2:]}}
		}
	}
	return nil
}

// meng handles meng- and peng- (rules 16, 17, 29, 30).
func meng(kind, w string) []alternative {
	c4 := at(w, 4)
	switch {
	case c4 == 'g' || c4 == 'h' || c4 == 'k' || c4 == 'q' || c4 == 'x': // meng{g|h|q|k}
		return []alternative{{kind, w[4:]}}
	case c4 == 'e' && len(w) > 5 && !isVowel(w[5]): // menge- before one-syllable roots (mengecat)
		return []alternative{{kind, w[4:]}, {kind, "k" + w[4:]}, {kind, w[5:]}}
	case isVowel(c4): // mengV → meng-V | meng-kV
		return []alternative{{kind, w[4:]}, {kind, "k" + w[4:]}}
	}
	return nil
}

// peN handles pe-, per-, pem-, pen-, peng-, peny-, pel- (rules 20–34, 36).
func peN(w string) []alternative {
	const kind = "pe"
	c2, c3 := at(w, 2), at(w, 3)
	switch {
	case c2 == 'w' || c2 == 'y': // pe{w|y}V
		return []alternative{{kind, w[2:]}}
	case c2 == 'r' && isVowel(c3): // perV → per-V | pe-rV
		return []alternative{{kind, w[3:]}, {kind, w[2:]}}
	case c2 == 'r': // perCAP, perCAerV
		return []alternative{{kind, w[3:]}}
	case c2 == 'm':
		switch {
		case c3 == 'b' || c3 == 'f' || c3 == 'v' || c3 == 'p': // pem{b|f|v}
			return []alternative{{kind, w[3:]}}
		case isVowel(c3) || (c3 == 'r' && isVowel(at(w, 4))): // pem{rV|V} → pe-m… | pe-p…
			return []alternative{{kind, "m" + w[3:]}, {kind, "p" + w[3:]}}
		}
	case c2 == 'n':
		switch {
		case c3 == 'c' || c3 == 'd' || c3 == 'j' || c3 == 'z' || c3 == 's' || c3 == 't': // pen{c|d|j|z}
			return []alternative{{kind, w[3:]}}
		case isVowel(c3): // penV → pe-nV | pe-tV
			return []alternative{{kind, "t" + w[3:]}, {kind, "n" + w[3:]}}
		case c3 == 'g':
			return meng(kind, w)
		case c3 == 'y' && isVowel(at(w, 4)): // penyV → peny-sV | pe-nyV
			return []alternative{{kind, "s" + w[4:]}, {kind, w[2:]}}
		}
	case c2 == 'l': // pelV → pe-lV; pelajar → pel-ajar
		if strings.HasPrefix(w, "pelajar") {
			return []alternative{{kind, w[3:]}, {kind, w[2:]}}
		}
		return []alternative{{kind, w[2:]}}
	case !isVowel(c2): // peCerV, peCP, peC1erC2 → pe-C…
		return []alternative{{kind, w[2:]}}
	}
	return nil
}
