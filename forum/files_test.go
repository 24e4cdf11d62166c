package forum_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/rembug/rembug/forum"
	"github.com/rembug/rembug/forum/errs"
	"github.com/rembug/rembug/forum/forumtest"
	"github.com/rembug/rembug/forum/storage/storagetest"
)

func errKey(err error) string {
	var fe *errs.Error
	if errors.As(err, &fe) {
		return fe.Key
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// TestFileStore adds, replaces, reads and deletes a consultation's files
// and checks who may do and see what.
func TestFileStore(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	mod := w.user(t, "mod", forum.RoleModerator)
	ani := w.user(t, "ani", forum.RoleParticipant)
	guest := w.guest(t, "tamu")
	cover := pngOf(t, 64, 36)
	if _, err := w.store.AddFile(w.ctx, ani, w.c, forum.FileInput{Kind: forum.FileCover, Name: "a.png", Data: cover}); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("participant uploads: %v", err)
	}
	first, err := w.store.AddFile(w.ctx, admin, w.c, forum.FileInput{Kind: forum.FileCover, Name: "sampul.png", Alt: " Peta  taman ", Data: cover})
	if err != nil {
		t.Fatal(err)
	}
	second, err := w.store.AddFile(w.ctx, admin, w.c, forum.FileInput{Kind: forum.FileCover, Name: "C:\\foto\\baru.JPG", Data: jpegOf(t, 20, 10)})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := w.store.AddFile(w.ctx, admin, w.c, forum.FileInput{Kind: forum.FileDocument, Name: "../Raperda 📄 مسودة.pdf", Data: []byte(pdfDoc)})
	if err != nil {
		t.Fatal(err)
	}
	if first.Alt != "Peta taman" || first.Width != 64 || first.Height != 36 || first.ContentType != "image/png" {
		t.Fatalf("cover stored as %+v", first)
	}
	if doc.Name != "Raperda 📄 مسودة.pdf" || doc.ContentType != "application/pdf" || doc.Size != int64(len(pdfDoc)) || doc.Label() != "PDF" {
		t.Fatalf("document stored as %+v", doc)
	}
	fs, err := forum.FilesOf(w.ctx, w.db, w.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || fs[0].ID != second.ID || fs[0].Name != "baru.jpg" || fs[1].ID != doc.ID || fs[0].Data != nil {
		t.Fatalf("files after replacing the cover: %+v", fs)
	}
	for _, v := range []forum.Viewer{guest, ani, admin} {
		f, err := forum.OpenFile(w.ctx, w.db, v, w.c, doc.ID)
		if err != nil {
			t.Fatalf("public file for %+v: %v", v, err)
		}
		data, err := forum.FileData(w.ctx, w.db, f)
		if err != nil || !bytes.Equal(data, []byte(pdfDoc)) {
			t.Fatalf("content: %q %v", data, err)
		}
	}
	if _, err := forum.OpenFile(w.ctx, w.db, guest, w.c, first.ID); err != errs.ErrNotFound {
		t.Fatalf("replaced cover: %v", err)
	}
	other := &forum.Consultation{Title: "Lain", Source: "test", SourceKey: "lain"}
	if err := forum.UpsertImportedConsultation(w.ctx, w.db, other, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := forum.OpenFile(w.ctx, w.db, admin, other, doc.ID); err != errs.ErrNotFound {
		t.Fatalf("file through another consultation: %v", err)
	}
	if _, err := w.db.NewUpdate().Model(w.c).Set("status = ?", forum.StatusDraft).WherePK().Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
	w.c.Status = forum.StatusDraft
	for name, v := range map[string]forum.Viewer{"guest": guest, "participant": ani} {
		if _, err := forum.OpenFile(w.ctx, w.db, v, w.c, doc.ID); err != errs.ErrNotFound {
			t.Fatalf("draft file for %s: %v", name, err)
		}
	}
	for name, v := range map[string]forum.Viewer{"admin": admin, "moderator": mod} {
		if _, err := forum.OpenFile(w.ctx, w.db, v, w.c, doc.ID); err != nil {
			t.Fatalf("draft file for %s: %v", name, err)
		}
	}
	if err := w.store.DeleteFile(w.ctx, mod, w.c.ID, doc.ID); errs.KindOf(err) != errs.Forbidden {
		t.Fatalf("moderator deletes: %v", err)
	}
	if err := w.store.DeleteFile(w.ctx, admin, other.ID, doc.ID); err != errs.ErrNotFound {
		t.Fatalf("delete through another consultation: %v", err)
	}
	if err := w.store.DeleteFile(w.ctx, admin, w.c.ID, doc.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := forum.OpenFile(w.ctx, w.db, admin, w.c, doc.ID); err != errs.ErrNotFound {
		t.Fatalf("deleted file: %v", err)
	}
	log, err := forum.AuditLog(w.ctx, w.db, admin, 10)
	if err != nil || len(log) < 4 || log[0].Action != "file_remove" || log[0].Reason != "document Raperda 📄 مسودة.pdf" {
		t.Fatalf("audit log: %+v %v", log, err)
	}
}

// TestAddFileRefusals checks each refusal's message key.
func TestAddFileRefusals(t *testing.T) {
	w := newWorld(t)
	admin := w.user(t, "admin", forum.RoleAdmin)
	big := append([]byte(pdfDoc), make([]byte, forum.MaxCoverBytes)...)
	cases := []struct {
		name string
		in   forum.FileInput
		key  string
	}{
		{"unknown kind", forum.FileInput{Kind: "avatar", Name: "a.png", Data: pngOf(t, 2, 2)}, "error.file_kind"},
		{"empty", forum.FileInput{Kind: forum.FileDocument, Name: "a.pdf"}, "error.file_empty"},
		{"cover over 2 MB", forum.FileInput{Kind: forum.FileCover, Name: "a.png", Data: big}, "error.file_too_big_cover"},
		{"document over 10 MB", forum.FileInput{Kind: forum.FileDocument, Name: "a.pdf", Data: make([]byte, forum.MaxDocumentBytes+1)}, "error.file_too_big_document"},
		{"pdf cover", forum.FileInput{Kind: forum.FileCover, Name: "a.pdf", Data: []byte(pdfDoc)}, "error.file_cover_type"},
		{"svg cover", forum.FileInput{Kind: forum.FileCover, Name: "a.svg", Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"/>`)}, "error.file_type"},
		{"long alt", forum.FileInput{Kind: forum.FileCover, Name: "a.png", Alt: string(bytes.Repeat([]byte("x"), forum.MaxAltRunes+1)), Data: pngOf(t, 2, 2)}, "error.length_alt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.store.AddFile(w.ctx, admin, w.c, c.in)
			if errKey(err) != c.key || errs.KindOf(err) != errs.Invalid {
				t.Fatalf("AddFile: %v, want %s", err, c.key)
			}
		})
	}
	// A document that fits is still accepted: the cover limit is not applied to it.
	if _, err := w.store.AddFile(w.ctx, admin, w.c, forum.FileInput{Kind: forum.FileDocument, Name: "besar.pdf", Data: big}); err != nil {
		t.Fatalf("3 MB document: %v", err)
	}
	fs, err := forum.FilesOf(w.ctx, w.db, w.c.ID)
	if err != nil || len(fs) != 1 {
		t.Fatalf("refused uploads were stored: %+v %v", fs, err)
	}
}

// BenchmarkFileRoundTrip stores and reads back a 10 MB document (the
// largest accepted): go test -run '^$' -bench FileRoundTrip ./forum/
func BenchmarkFileRoundTrip(b *testing.B) {
	ctx := b.Context()
	db := storagetest.NewDB(b)
	if err := forum.Migrate(ctx, db); err != nil {
		b.Fatal(err)
	}
	c := &forum.Consultation{Title: "Taman kota", Source: "test", SourceKey: "taman"}
	if err := forum.UpsertImportedConsultation(ctx, db, c, t0); err != nil {
		b.Fatal(err)
	}
	u := &forum.User{DisplayName: "admin", Email: "admin@contoh.test", Role: forum.RoleAdmin}
	if err := forumtest.CreateUser(ctx, db, u, t0); err != nil {
		b.Fatal(err)
	}
	admin := forum.Viewer{User: u}
	data := append([]byte(pdfDoc), bytes.Repeat([]byte{0xa5}, forum.MaxDocumentBytes-len(pdfDoc))...)
	b.SetBytes(int64(len(data)))
	store := forum.NewStore(db, nil)
	for b.Loop() {
		f, err := store.AddFile(ctx, admin, c, forum.FileInput{Kind: forum.FileDocument, Name: "raperda.pdf", Data: data})
		if err != nil {
			b.Fatal(err)
		}
		got, err := forum.FileData(ctx, db, f)
		if err != nil || len(got) != len(data) {
			b.Fatalf("read %d bytes: %v", len(got), err)
		}
		if err := store.DeleteFile(ctx, admin, c.ID, f.ID); err != nil {
			b.Fatal(err)
		}
	}
}
