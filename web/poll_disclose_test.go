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

// TestPollOpenTextEveryOutput answers a named and an anonymous survey with
// open-text answers and checks that no output shows one verbatim (the one
// rule, polls.Disclose): the results page, its breakdown, the JSON API with
// and without a breakdown, the CSV and XLSX exports and the live snapshot.
func TestPollOpenTextEveryOutput(t *testing.T) {
	for _, anonymous := range []bool{false, true} {
		t.Run(fmt.Sprint("anonymous=", anonymous), func(t *testing.T) {
			ps := newPollSite(t)
			s := ps.survey(t, polls.Survey{Anonymous: anonymous},
				polls.Question{Code: "s", Kind: polls.KindSingle, Text: "Lokasi", Required: true, Spec: polls.Spec{Options: []string{"Utara", "Selatan"}}},
				polls.Question{Code: "t", Kind: polls.KindText, Text: "Saran"})
			// The form tells respondents that staff read open text as
			// written, and in an anonymous poll not to identify themselves.
			hint := map[bool]string{false: "tidak ditampilkan kepada publik", true: "Agar tetap anonim, jangan tulis nama"}[anonymous]
			if code, form := pollGet(t, pollClient(t), ps.path(s)); code != http.StatusOK || !strings.Contains(form, hint) {
				t.Fatalf("survey form %d lacks the open-text notice %q", code, hint)
			}
			const n = 6
			for i := 0; i < n; i++ {
				form := url.Values{"a_s": {fmt.Sprint(i % 2)}, "a_t": {fmt.Sprintf("rahasia%d rumah saya di gang %d", i, i)}}
				if code, body := ps.pollPost(t, pollClient(t), s, form); code != http.StatusSeeOther {
					t.Fatalf("answer %d: %d\n%s", i, code, body)
				}
			}
			c := pollClient(t)
			api := fmt.Sprintf("%s/api/v1/polls/%d/results", ps.url, s.ID)
			outputs := map[string]string{}
			for name, u := range map[string]string{
				"page": ps.path(s) + "/results", "page by": ps.path(s) + "/results?by=s",
				"api": api, "api by": api + "?by=s",
				"csv": ps.path(s) + "/results.csv", "csv by": ps.path(s) + "/results.csv?by=s",
			} {
				code, body := pollGet(t, c, u)
				if code != http.StatusOK {
					t.Fatalf("%s: %d\n%s", name, code, body)
				}
				outputs[name] = body
			}
			_, xb := pollGet(t, c, ps.path(s)+"/results.xlsx?by=s")
			f, err := excelize.OpenReader(bytes.NewReader([]byte(xb)))
			if err != nil {
				t.Fatal(err)
			}
			for _, sheet := range f.GetSheetList() {
				rows, _ := f.GetRows(sheet)
				for _, r := range rows {
					outputs["xlsx "+sheet] += strings.Join(r, ",") + "\n"
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
				outputs["live "+ev.Type] = ev.Data.HTML["id"] + ev.Data.HTML["en"]
			}
			if outputs["live snapshot"] == "" {
				t.Fatal("no live snapshot")
			}
			for name, body := range outputs {
				if strings.Contains(body, "rahasia") || strings.Contains(body, "rumah saya") {
					t.Errorf("%s shows an open-text answer verbatim", name)
				}
			}
			if !strings.Contains(outputs["api"], `"code":"t"`) {
				t.Errorf("the API left out the open-text question itself:\n%s", outputs["api"])
			}
		})
	}
}
