package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPollExportFlagsAfterID runs "rembug poll export ID --format …" as the
// usage line writes it: flags after the id must be read, not rejected.
func TestPollExportFlagsAfterID(t *testing.T) {
	data := t.TempDir()
	db := dbArgs(t, data)
	ctx := context.Background()
	var out, errOut bytes.Buffer
	src := writeExport(t, "timestamp,datetime,comment-id,voter-id,vote\n1600000010000,x,0,0,1\n")
	if err := run(ctx, append(append([]string{"import", "polis"}, db...), src), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	def := filepath.Join(t.TempDir(), "poll.json")
	body := `{"consultation":"1","title":"Survei taman","opens":"2026-01-01T00:00:00Z","closes":"2099-01-01T00:00:00Z",
		"questions":[{"code":"q1","kind":"single","text":"Pilih","options":["A","B"]}]}`
	if err := os.WriteFile(def, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, append(append([]string{"poll", "create"}, db...), "--file", def), &out, &errOut); err != nil {
		t.Fatalf("poll create: %v (%s)", err, errOut.String())
	}
	cases := []struct {
		name string
		args []string
		want string // a file the command must write, or "" for standard output
	}{
		{"flags before the id", []string{"--format", "csv", "1"}, ""},
		{"flags after the id", []string{"1", "--format", "csv", "--lang", "en"}, ""},
		{"out after the id", []string{"1", "--format", "xlsx", "--out", filepath.Join(data, "p.xlsx")}, filepath.Join(data, "p.xlsx")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out.Reset()
			errOut.Reset()
			args := append(append([]string{"poll", "export"}, db...), tc.args...)
			if err := run(ctx, args, &out, &errOut); err != nil {
				t.Fatalf("%v: %v (%s)", tc.args, err, errOut.String())
			}
			if tc.want != "" {
				if st, err := os.Stat(tc.want); err != nil || st.Size() == 0 {
					t.Fatalf("%s not written: %v", tc.want, err)
				}
				return
			}
			if !strings.Contains(out.String(), "Pilih") {
				t.Fatalf("export output %q lacks the question", out.String())
			}
		})
	}
	if err := run(ctx, append(append([]string{"poll", "export"}, db...), "1", "2"), &out, &errOut); err == nil {
		t.Fatal("two ids accepted")
	}
}
