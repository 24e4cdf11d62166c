package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rembug/rembug/polls"
	"github.com/xuri/excelize/v2"
)

// TestAnonymousWordCloudRespectsK: in an anonymous survey a word given by
// fewer than k respondents (here a name, given once) appears in no output:
// the cloud and its table, the JSON API, the CSV and XLSX exports and the
// live snapshot; a word given by k or more stays. A named survey keeps the
// rare word, so the test sees the difference the rule makes.
func TestAnonymousWordCloudRespectsK(t *testing.T) {
	for _, anonymous := range []bool{true, false} {
		t.Run(fmt.Sprint("anonymous=", anonymous), func(t *testing.T) {
			ps := newPollSite(t)
			s := ps.survey(t, polls.Survey{Anonymous: anonymous},
				polls.Question{Code: "w", Kind: polls.KindWords, Text: "Satu kata untuk taman kota", Required: true})
			const n = 2 * polls.AnonymousBatch // whole batches, so all are counted while open
			for i := 0; i < n; i++ {
				word := "teduh"
				if i == 3 {
					word = "budisantoso"
				}
				if code, body := ps.pollPost(t, pollClient(t), s, url.Values{"a_w": {word}}); code != http.StatusSeeOther {
					t.Fatalf("answer %d: %d\n%s", i, code, body)
				}
			}
			c := pollClient(t)
			api := fmt.Sprintf("%s/api/v1/polls/%d/results", ps.url, s.ID)
			outputs := map[string]string{}
			for name, u := range map[string]string{"page": ps.path(s) + "/results", "api": api, "csv": ps.path(s) + "/results.csv"} {
				code, body := pollGet(t, c, u)
				if code != http.StatusOK {
					t.Fatalf("%s: %d\n%s", name, code, body)
				}
				outputs[name] = body
			}
			_, xb := pollGet(t, c, ps.path(s)+"/results.xlsx")
			f, err := excelize.OpenReader(bytes.NewReader([]byte(xb)))
			if err != nil {
				t.Fatal(err)
			}
			for _, sheet := range f.GetSheetList() {
				rows, _ := f.GetRows(sheet)
				for _, r := range rows {
					outputs["xlsx"] += strings.Join(r, ",") + "\n"
				}
			}
			conn, code := dialPoll(t, ps, fmt.Sprintf("poll-%d", s.ID))
			if code != http.StatusSwitchingProtocols {
				t.Fatalf("dial: %d", code)
			}
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			for i := 0; i < 2; i++ { // welcome, snapshot
				var ev pollEvent
				if err := conn.ReadJSON(&ev); err != nil {
					t.Fatal(err)
				}
				if ev.Type == "snapshot" {
					outputs["live snapshot"] = ev.Data.HTML["id"] + ev.Data.HTML["en"]
				}
			}
			for name, body := range outputs {
				if strings.Contains(body, "budisantoso") == anonymous {
					t.Errorf("%s: shows the word given once: %v (anonymous %v)", name, !anonymous, anonymous)
				}
				if !strings.Contains(body, "teduh") {
					t.Errorf("%s lost the word given by %d respondents", name, n-1)
				}
			}
		})
	}
}
