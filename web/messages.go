package web

import (
	"errors"
	"strings"

	"github.com/rembug/rembug/forum/errs"
)

// Messages translates domain errors for places outside HTTP, such as the
// command line, with the same catalogues as the pages.
type Messages struct{ c *catalog }

// LoadMessages loads the embedded catalogues (id, en).
func LoadMessages() (*Messages, error) {
	c, err := loadCatalog()
	if err != nil {
		return nil, err
	}
	return &Messages{c: c}, nil
}

// Describe returns err's text with the first domain error in its chain
// (a *errs.Error, shown as its translation key) replaced by its message
// in lang ("id" or "en"), so "poll 9: error.not_found" reads
// "poll 9: The page or data you are looking for was not found.". Errors
// without a domain error come back unchanged.
func (m *Messages) Describe(lang string, err error) string {
	var fe *errs.Error
	if !errors.As(err, &fe) {
		return err.Error()
	}
	var pairs []any
	for k, v := range fe.Data {
		pairs = append(pairs, k, v)
	}
	msg := m.c.T(lang, fe.Key, pairs...)
	if strings.HasPrefix(msg, "!") { // no translation: keep the key
		return err.Error()
	}
	return strings.Replace(err.Error(), fe.Error(), msg, 1)
}
