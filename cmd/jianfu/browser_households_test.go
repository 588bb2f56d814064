package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jianfu/ent/storetest"
)

// TestBrowserHouseholdsOnPhone: on a 360 px phone a county cadre reads how
// many households there are, pages past the first 50, sees villages by name,
// and the search box's placeholder is not cut off.
func TestBrowserHouseholdsOnPhone(t *testing.T) {
	chromium := findChromium(t)
	e := startE2E(t, storetest.TestDatabases(t)[0].DSN)
	total := num(e.must(t, 200, "county1", "GET", "/api/v1/households", nil)["total"])
	if total <= 50 {
		t.Fatalf("county1 sees %d households; the demo county should need a second page", total)
	}
	p := openPhone(t, chromium)
	p.follow(t, "OpenLogin", 200, "/login", chromedp.Navigate(e.srv.URL+"/households"))
	p.do(t, "TypeCredentials",
		chromedp.SendKeys(chromedp.ID("username"), "county1"),
		chromedp.SendKeys(chromedp.ID("password"), "demo"),
	)
	p.follow(t, "SignIn", 200, "/households", chromedp.Tap(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	p.screenshot(t, "households-county")

	if got, want := p.text(t, "p.count"), fmt.Sprintf("共 %d 户", total); got != want {
		t.Errorf("the list says %q, want %q", got, want)
	}
	if got := p.text(t, ".card-link .card-line:last-child"); !strings.HasPrefix(got, "所在村：") ||
		!strings.ContainsAny(got, "镇乡") || !strings.HasSuffix(got, "村") {
		t.Errorf("the first card's place reads %q, want 所在村：<township><village>", got)
	}
	t.Run("PlaceholderFits", func(t *testing.T) {
		ctx, cancel := p.step()
		defer cancel()
		// The placeholder's width in the input's font against the room
		// inside the input.
		js := `(() => {
			const q = document.getElementById("q"), s = getComputedStyle(q);
			const c = document.createElement("canvas").getContext("2d");
			c.font = s.font;
			const room = q.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
			return room - c.measureText(q.placeholder).width;
		})()`
		spare, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatal(err)
		}
		if spare < 0 {
			t.Errorf("the placeholder is %.0f px wider than the search box", -spare)
		}
	})

	p.follow(t, "NextPage", 200, "/households", chromedp.Tap(chromedp.CSS(`.pager a[rel="next"]`)))
	if got, want := p.text(t, ".pager-at"), fmt.Sprintf("第 2 / %d 页", (total+49)/50); got != want {
		t.Errorf("the second page says %q, want %q", got, want)
	}
	p.screenshot(t, "households-county-page2")
	ctx, cancel := p.step()
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".card-link").getAttribute("href")`))
	cancel()
	if err != nil {
		t.Fatalf("read the first card's link: %v", err)
	}
	p.follow(t, "OpenHousehold", 200, href, chromedp.Tap(chromedp.CSS(".card-link")))
	if got := p.text(t, ".facts dd:nth-of-type(2)"); !strings.ContainsAny(got, "镇乡") || !strings.HasSuffix(got, "村") {
		t.Errorf("the household's place reads %q, want <township><village>", got)
	}
	p.screenshot(t, "household-county")
}
