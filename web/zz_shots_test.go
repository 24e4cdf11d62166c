package web_test

import (
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestZZShots(t *testing.T) {
	dir := os.Getenv("SHOTS_DIR")
	if dir == "" {
		t.Skip()
	}
	w := newA11yWorld(t)
	b := tab{t: t, ctx: newBrowser(t)}
	for _, sz := range []struct {
		name string
		w, h int64
	}{{"360", 360, 800}, {"1280", 1280, 800}} {
		for _, p := range []struct{ name, path string }{{"home", "/"}, {"consultation", "/k/" + w.c.Slug}} {
			b.do(chromedp.EmulateViewport(sz.w, sz.h), chromedp.Navigate(w.url+p.path))
			b.settle()
			png, err := runStep(b, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(dir+"/"+os.Getenv("SHOTS_TAG")+"-"+p.name+"-"+sz.name+".png", png, 0o644)
		}
	}
}
