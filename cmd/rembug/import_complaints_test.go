package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportComplaintsCommand(t *testing.T) {
	dir := t.TempDir()
	db := dbArgs(t, dir)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,received_at,topic,agency,kecamatan,kelurahan\n"+
		"7,2024-01-02 10:00:00.000,PJU,Dinas Perhubungan,Tandes,Tandes\n"+
		"8,2024-13-01 10:00:00.000,PJU,,Tandes,Tandes\n"), 0o600)
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"import", "complaints", bad, "--tz", "Asia/Jakarta"}, db...), &out, &errOut)
	if err == nil || !strings.Contains(errOut.String(), "bad.csv:3: received_at") || !strings.Contains(errOut.String(), "bad.csv:3: agency is empty") {
		t.Fatalf("bad file: %v\n%s", err, errOut.String())
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("id,text,received_at,answered_at,response_bucket,topic,agency,kecamatan,kelurahan\n"+
		"7,Lampu mati,2024-01-02 10:00:00.000,2024-01-02 18:00:00.000,1 Sampai 3 Hari,PJU,Dinas Perhubungan,Tandes,Tandes\n"), 0o600)
	out.Reset()
	if err := run(context.Background(), append([]string{"import", "complaints", good}, db...), &out, &errOut); err != nil {
		t.Fatalf("good file: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "imported 1 of 1 complaints") {
		t.Fatalf("output %q", out.String())
	}
}

// TestLaporCommand: rembug lapor export writes the reconciliation CSV;
// rembug lapor import refuses a file with a bad row (file:row on stderr,
// non-zero exit, nothing changed) and links a good one.
func TestLaporCommand(t *testing.T) {
	dir := t.TempDir()
	db := dbArgs(t, dir)
	src := filepath.Join(dir, "src.csv")
	os.WriteFile(src, []byte("id,text,received_at,answered_at,response_bucket,topic,agency,kecamatan,kelurahan\n"+
		"7,Lampu mati,2024-01-02 10:00:00.000,,,PJU,Dinas Perhubungan,Tandes,Tandes\n"), 0o600)
	var out, errOut bytes.Buffer
	if err := run(context.Background(), append([]string{"import", "complaints", src}, db...), &out, &errOut); err != nil {
		t.Fatalf("seed: %v\n%s", err, errOut.String())
	}
	bad := filepath.Join(dir, "lapor-bad.csv")
	os.WriteFile(bad, []byte("number,lapor_id\nADU-2024-000001,LAPOR-9\nADU-2024-000099,LAPOR-10\n"), 0o600)
	err := run(context.Background(), append([]string{"lapor", "import", bad}, db...), &out, &errOut)
	if err == nil || !strings.Contains(errOut.String(), "lapor-bad.csv:3: unknown complaint number") {
		t.Fatalf("bad file: %v\n%s", err, errOut.String())
	}
	good := filepath.Join(dir, "lapor.csv")
	os.WriteFile(good, []byte("number,lapor_id\nADU-2024-000001,LAPOR-9\n"), 0o600)
	out.Reset()
	if err := run(context.Background(), append([]string{"lapor", "import", good}, db...), &out, &errOut); err != nil || !strings.Contains(out.String(), "linked 1 complaints") {
		t.Fatalf("good file: %v %q\n%s", err, out.String(), errOut.String())
	}
	out.Reset()
	if err := run(context.Background(), append([]string{"lapor", "export"}, db...), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\r\nADU-2024-000001,LAPOR-9,") {
		t.Fatalf("export:\n%s", out.String())
	}
}
