package forum

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	_ "image/jpeg" // registers JPEG for image.DecodeConfig
	_ "image/png"  // registers PNG for image.DecodeConfig
	"io"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rembug/rembug/forum/grapheme"
	"golang.org/x/text/unicode/norm"

	"github.com/rembug/rembug/forum/errs"
)

// Limits of uploaded consultation files.
const (
	// MaxCoverBytes is the largest cover image, small enough for a slow
	// phone connection.
	MaxCoverBytes = 2 << 20
	// MaxDocumentBytes is the largest attached document.
	MaxDocumentBytes = 10 << 20
	// MaxImagePixels bounds each side of an uploaded image, so that a small
	// file cannot make a phone decode a gigantic bitmap.
	MaxImagePixels = 8000
	// MaxFileNameRunes bounds a stored file name without its extension.
	MaxFileNameRunes = 120
	// MaxAltRunes bounds a cover image's description.
	MaxAltRunes = 250
	// MaxDocuments bounds the documents of one consultation.
	MaxDocuments = 50
)

// FileType is an accepted kind of upload: its extension (lower case, with
// the dot), the Content-Type it is served with, a short label for lists,
// and whether it is an image.
type FileType struct {
	Ext, MIME, Label string
	Image            bool
}

// fileTypeOf returns the accepted type of extension ext (lower case, with
// the dot). Everything else, SVG and HTML included, is refused: SVG can
// carry scripts that run when the file is opened from our origin.
func fileTypeOf(ext string) (FileType, bool) {
	switch ext {
	case ".pdf":
		return FileType{ext, "application/pdf", "PDF", false}, true
	case ".docx":
		return FileType{ext, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX", false}, true
	case ".xlsx":
		return FileType{ext, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX", false}, true
	case ".odt":
		return FileType{ext, "application/vnd.oasis.opendocument.text", "ODT", false}, true
	case ".ods":
		return FileType{ext, "application/vnd.oasis.opendocument.spreadsheet", "ODS", false}, true
	case ".png":
		return FileType{ext, "image/png", "PNG", true}, true
	case ".jpg", ".jpeg":
		return FileType{ext, "image/jpeg", "JPEG", true}, true
	}
	return FileType{}, false
}

// Upload is a file that passed CheckUpload: its cleaned name (with the
// extension of its type), its type, its size in bytes, the hex SHA-256 of
// its content, and an image's size in pixels (0 for other files).
type Upload struct {
	Name          string
	Type          FileType
	Size          int64
	SHA256        string
	Width, Height int
}

// CheckUpload checks an upload of kind (FileCover, FileDocument or
// FileProposalImage) named
// name with content data, for every place that stores uploaded files:
// errs.Invalid "error.file_kind" (unknown kind), "error.file_empty",
// "error.file_too_big_<kind>" (over FileLimit, with Max in MB), and
// CheckFile's keys. The name is CleanFileName's, its extension made the
// one of the type CheckFile decided.
func CheckUpload(kind, name string, data []byte) (Upload, error) {
	limit := FileLimit(kind)
	switch {
	case limit == 0:
		return Upload{}, errs.E(errs.Invalid, "error.file_kind", nil)
	case len(data) == 0:
		return Upload{}, errs.E(errs.Invalid, "error.file_empty", nil)
	case len(data) > limit:
		return Upload{}, errs.E(errs.Invalid, "error.file_too_big_"+kind, map[string]any{"Max": limit >> 20})
	}
	ft, w, h, err := CheckFile(name, data)
	if err != nil {
		return Upload{}, err
	}
	clean := CleanFileName(name)
	if ext := path.Ext(clean); strings.ToLower(ext) != ft.Ext {
		clean = strings.TrimSuffix(clean, ext) + ft.Ext
	}
	sum := sha256.Sum256(data)
	return Upload{Name: clean, Type: ft, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Width: w, Height: h}, nil
}

// FileLimit returns the largest accepted size in bytes of an upload of
// kind (FileCover, FileDocument or FileProposalImage), 0 for an unknown
// kind.
func FileLimit(kind string) int {
	switch kind {
	case FileCover:
		return MaxCoverBytes
	case FileDocument:
		return MaxDocumentBytes
	case FileProposalImage:
		return MaxProposalImageBytes
	}
	return 0
}

// CheckFile decides what an upload named name with content data is. The
// extension must be on the allow-list and the content must be what the
// extension says: the first 512 bytes are sniffed (http.DetectContentType,
// WHATWG MIME Sniffing), office files are opened as zip archives and their
// marker entries checked (ECMA-376 Part 2 for DOCX/XLSX, OASIS
// OpenDocument 1.3 Part 2 §3.3 "mimetype" for ODT/ODS), and images must
// decode their header. The type the client claims is never consulted.
// It returns the type and, for images, the width and height in pixels;
// errs.Invalid "error.file_type" when the file is refused, and
// "error.file_image_size" for an image wider or taller than
// MaxImagePixels.
func CheckFile(name string, data []byte) (ft FileType, width, height int, err error) {
	refused := errs.E(errs.Invalid, "error.file_type", nil)
	ft, ok := fileTypeOf(strings.ToLower(path.Ext(baseName(name))))
	if !ok {
		return ft, 0, 0, refused
	}
	sniffed := http.DetectContentType(data)
	switch ft.Label {
	case "PDF":
		ok = sniffed == "application/pdf"
	case "DOCX":
		ok = sniffed == "application/zip" && zipHas(data, "[Content_Types].xml", "word/document.xml")
	case "XLSX":
		ok = sniffed == "application/zip" && zipHas(data, "[Content_Types].xml", "xl/workbook.xml")
	case "ODT", "ODS":
		ok = sniffed == "application/zip" && zipMimetype(data) == ft.MIME
	case "PNG", "JPEG":
		ok = sniffed == ft.MIME
		if ok {
			cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
			ok = err == nil && "image/"+format == ft.MIME
			width, height = cfg.Width, cfg.Height
		}
	}
	if !ok {
		return ft, 0, 0, refused
	}
	if width > MaxImagePixels || height > MaxImagePixels {
		return ft, 0, 0, errs.E(errs.Invalid, "error.file_image_size", map[string]any{"Max": MaxImagePixels})
	}
	return ft, width, height, nil
}

// zipHas reports whether data is a zip archive holding every named entry.
func zipHas(data []byte, names ...string) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	have := map[string]bool{}
	for _, f := range zr.File {
		have[f.Name] = true
	}
	for _, n := range names {
		if !have[n] {
			return false
		}
	}
	return true
}

// zipMimetype returns the content of an OpenDocument archive's "mimetype"
// entry (at most 200 bytes are read), or "" when there is none.
func zipMimetype(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	for _, f := range zr.File {
		if f.Name != "mimetype" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return ""
		}
		defer rc.Close()
		b, _ := io.ReadAll(io.LimitReader(rc, 200))
		return strings.TrimSpace(string(b))
	}
	return ""
}

// baseName returns the last element of a client's file name, split at
// both "/" and "\" whatever the server's system.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// CleanFileName returns the plain-text name an upload is stored and served
// under: its last path element, valid UTF-8 in NFC, without control or
// bidirectional-override characters (which can disguise an extension) and
// without the characters Windows forbids in names, spaces collapsed, no
// leading dots, the stem cut to MaxFileNameRunes, and the extension in
// lower case. Any script and emoji are kept. A name left empty becomes
// "berkas" plus the extension.
func CleanFileName(name string) string {
	name = norm.NFC.String(strings.ToValidUTF8(baseName(name), ""))
	var b strings.Builder
	space := false
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || bidiControl(r) || r == utf8.RuneError:
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	name = b.String()
	raw := path.Ext(name)
	if utf8.RuneCountInString(raw) > 10 || raw == "." {
		raw = ""
	}
	ext := strings.ToLower(raw)
	stem := strings.Trim(name[:len(name)-len(raw)], ". ")
	if utf8.RuneCountInString(stem) > MaxFileNameRunes {
		stem = strings.TrimRight(grapheme.Prefix(stem, MaxFileNameRunes, grapheme.Runes), ". ")
	}
	if stem == "" {
		stem = "berkas"
	}
	return stem + ext
}

// bidiControl reports whether r is a Unicode bidirectional formatting
// character (UAX #9 §2: LRM, RLM, ALM, embeddings, overrides, isolates)
// or a byte-order mark.
func bidiControl(r rune) bool {
	return r == 0x200E || r == 0x200F || r == 0x061C || r == 0xFEFF ||
		(r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}
