package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"jianfu/ent/storetest"
)

// The browser test drives Debian's headless Chromium with chromedp.
// JIANFU_CHROMIUM names the browser (default /usr/bin/chromium); without one
// the test is skipped, unless JIANFU_REQUIRE_BROWSER=1 (as in CI), which
// makes it fail. JIANFU_SCREENSHOTS is where the PNGs go (default
// testdata/screenshots at the top of the module, git-ignored).
const (
	defaultChromium    = "/usr/bin/chromium"
	defaultScreenshots = "../../testdata/screenshots" // relative to this package's directory
	browserTestTimeout = 50 * time.Second
	browserStepTimeout = 15 * time.Second
)

// A village cadre on a phone signs in, opens the case from 我的待办, submits
// the application with one wrong 身份证号, finds the error next to that field
// with everything else as typed, corrects it, and sees the case move on to
// 入户核实.
func TestBrowserApplicationOnPhone(t *testing.T) {
	chromium := findChromium(t)
	e := startE2E(t, storetest.TestDatabases(t)[0].DSN) // SQLite: the pages are the same on every database
	household, caseID := startApplication(t, e)
	p := openPhone(t, chromium)
	casePath := fmt.Sprintf("/cases/%d", caseID)
	firePath := casePath + "/fire/submit"
	submit := chromedp.Tap(chromedp.CSS(".form-actions button.primary"))

	// The inbox sends an anonymous visitor to the login page, and the login
	// back to the inbox.
	p.follow(t, "OpenInbox", 200, "/login", chromedp.Navigate(e.srv.URL+"/tasks"))
	p.do(t, "TypeCredentials",
		chromedp.SendKeys(chromedp.ID("username"), "village11"),
		chromedp.SendKeys(chromedp.ID("password"), "demo"),
	)
	p.follow(t, "SignIn", 200, "/tasks", chromedp.Tap(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	t.Run("InboxShowsNoFullIDNumber", func(t *testing.T) {
		if m := fullID.FindString(p.text(t, "main")); m != "" {
			t.Errorf("我的待办 shows the full 身份证号 %s", m)
		}
	})

	card := fmt.Sprintf(`a.card-link[href=%q]`, casePath)
	if got := p.text(t, card); !strings.Contains(got, household) {
		t.Errorf("the inbox card of case %d reads %q, want the household %s on it", caseID, got, household)
	}
	p.follow(t, "OpenCase", 200, casePath, chromedp.Tap(chromedp.CSS(card)))
	button := fmt.Sprintf(`.actions-list a.button[href=%q]`, firePath)
	if got := p.text(t, button); got != "提交申请" {
		t.Errorf("the action button of the case reads %q, want 提交申请", got)
	}
	p.follow(t, "OpenApplicationForm", 200, firePath, chromedp.Tap(chromedp.CSS(button)))

	// The form arrives filled with what the registry knows: the head and
	// every member, 18-digit numbers included, so the cadre checks them
	// instead of typing them again.
	registryID := p.value(t, "f-head_id")
	t.Run("PrefilledFromRegistry", func(t *testing.T) {
		if got := p.value(t, "f-head_name"); got != household {
			t.Errorf("#f-head_name = %q, want the registry's head %s", got, household)
		}
		if len(registryID) != 18 || !fullID.MatchString(registryID) {
			t.Errorf("#f-head_id = %q, want the head's 身份证号 from the registry", registryID)
		}
		for id, want := range map[string]string{"f-members-0-name": household, "f-members-0-id_card": registryID, "f-members-0-relation": "户主"} {
			if got := p.value(t, id); got != want {
				t.Errorf("#%s = %q, want %q from the registry", id, got, want)
			}
		}
		if got := p.value(t, "f-members-1-name"); got == "" {
			t.Error("#f-members-1-name is empty, want the registry's second member")
		}
	})
	p.screenshot(t, "application-prefilled")

	entry := applicationEntryOf()
	p.fill(t, entry)
	// Select what is there and type over it, as on a keyboard.
	p.do(t, "TypeWrongHeadID",
		chromedp.Focus(chromedp.ID("f-head_id")),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent(badID),
	)
	p.follow(t, "SubmitWithWrongID", 422, firePath, submit)

	t.Run("ErrorNextToField", func(t *testing.T) {
		got := p.fieldError(t, "f-head_id")
		if got.Errors != 1 {
			t.Errorf("the page shows %d field errors, want exactly 1 (for 户主身份证号)", got.Errors)
		}
		if !strings.Contains(got.Message, "校验位") {
			t.Errorf("the .field of #f-head_id holds the error %q, want the one about the check digit (校验位)", got.Message)
		}
		if got.Invalid != "true" || got.ErrorID == "" || !slices.Contains(strings.Fields(got.DescribedBy), got.ErrorID) {
			t.Errorf("#f-head_id has aria-invalid=%q aria-describedby=%q, want \"true\" and the error's id %q",
				got.Invalid, got.DescribedBy, got.ErrorID)
		}
		if got.Gap < 0 || got.Gap > 24 {
			t.Errorf("the error is drawn %.0f px below the input, want right under it (0–24 px)", got.Gap)
		}
		if !got.SummaryLink {
			t.Error("the error summary has no link to #f-head_id")
		}
	})
	t.Run("TypedValuesKept", func(t *testing.T) {
		p.assertKept(t, entry, map[string]string{"f-head_id": badID})
	})
	p.screenshot(t, "application-error")

	t.Run("SummaryLinkShowsLabelledField", func(t *testing.T) {
		// On a phone the field is a few screens below the summary: its
		// link must bring the input on screen with its label above it.
		p.do(t, "TapSummaryLink",
			chromedp.Tap(chromedp.CSS(`.error-summary a[href="#f-head_id"]`)),
			chromedp.Poll[chromedp.Void](`location.hash === "#f-head_id" || undefined`,
				chromedp.WithPollingTimeout(5*time.Second)),
		)
		got := p.place(t, "f-head_id")
		if got.LabelTop < 0 || got.InputBottom > got.ViewHeight {
			t.Errorf("after tapping the summary link the label starts at %.0f px and the input ends at %.0f px of a %.0f px screen, want both on screen",
				got.LabelTop, got.InputBottom, got.ViewHeight)
		}
	})

	// Select what is there and type over it, as on a keyboard.
	p.do(t, "CorrectHeadID",
		chromedp.Focus(chromedp.ID("f-head_id")),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent(headID),
	)
	if got := p.value(t, "f-head_id"); got != headID {
		t.Fatalf("after typing over it #f-head_id holds %q, want %q", got, headID)
	}
	p.follow(t, "SubmitCorrected", 200, casePath, submit)

	t.Run("CaseMovedOn", func(t *testing.T) {
		if got := p.text(t, "main h1"); !strings.Contains(got, "入户核实") {
			t.Errorf("after the application the case page is headed %q, want 入户核实", got)
		}
		if got := p.text(t, ".flash"); got != "已提交" {
			t.Errorf("the flash reads %q, want 已提交", got)
		}
		c := e.must(t, 200, "village11", "GET", fmt.Sprintf("/api/v1/cases/%d", caseID), nil)
		assertState(t, c, "verification")
	})
	p.screenshot(t, "case-moved")

	t.Run("NoFullIDNumberLogged", func(t *testing.T) {
		logs := e.logs.String()
		if !strings.Contains(logs, "/cases/:id/fire/:trigger") {
			t.Fatalf("the request log does not name the form route; this check would prove nothing:\n%.2000s", logs)
		}
		for _, id := range []string{headID, badID, registryID} {
			if strings.Contains(logs, id) {
				t.Errorf("the log contains the full 身份证号 %s", id)
			}
		}
	})
}

// findChromium returns the browser to drive, or skips the test when there is
// none (fails instead with JIANFU_REQUIRE_BROWSER=1).
func findChromium(t *testing.T) string {
	t.Helper()
	name := os.Getenv("JIANFU_CHROMIUM")
	if name == "" {
		name = defaultChromium
	}
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("no browser at %s (%v): install it with `apt-get install chromium` or set JIANFU_CHROMIUM", name, err)
	if os.Getenv("JIANFU_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// startApplication starts an identification case through the API, as
// village11, for the first household of 桃园村 without one under way (the
// demo county seeds a few); the case then waits in village11's inbox. It
// returns the household head's name and the case id.
func startApplication(t *testing.T, e *e2e) (string, int) {
	t.Helper()
	list := e.must(t, 200, "village11", "GET", "/api/v1/households", nil)
	items, _ := list["items"].([]any)
	for _, it := range items {
		h, _ := it.(map[string]any)
		status, c := e.call(t, "village11", "POST", "/api/v1/cases",
			map[string]any{"workflow": "identification", "household_id": num(h["id"])})
		switch status {
		case 201:
			assertState(t, c, "application")
			return str(h["head_name"]), num(c["id"])
		case 409: // a case under way already
		default:
			t.Fatalf("village11 starting a case for household %v: status %d, want 201 or 409; body %v", h["id"], status, c)
		}
	}
	t.Fatalf("none of the %d households village11 sees can start an identification", len(items))
	return "", 0
}

// applicationEntry is what the cadre enters into the application form, by
// element id.
type applicationEntry struct {
	Typed    [][2]string // id, text typed key by key
	Picked   [][2]string // id, value chosen (selects, and the date picker)
	Ticked   []string    // checkboxes tapped on
	Unticked []string    // checkboxes left off
}

// applicationEntryOf fills every required field of application_authorization
// that the registry does not prefill.
func applicationEntryOf() applicationEntry {
	return applicationEntry{
		Typed: [][2]string{
			{"f-phone", "13800138000"},
			{"f-reason", "2026年8月户主突发脑梗住院，自付医疗费用较大，家庭收入锐减。"},
			{"f-filled_by", "张明"},
		},
		Picked: [][2]string{
			{"f-channel", "干部代申请"},
			{"f-date", "2026-09-28"}, // a date input takes ISO, whatever its locale shows
		},
		Ticked:   []string{"f-risks-0", "f-promise", "f-authorize-0", "f-authorize-1", "f-signed"},
		Unticked: []string{"f-risks-1", "f-authorize-2", "f-authorize-3"},
	}
}

// phone is one tab of a headless Chromium emulating a 360×740 phone
// (touch, device pixel ratio 2).
type phone struct {
	ctx   context.Context
	shots string // directory of the screenshots
}

func openPhone(t *testing.T, chromium string) *phone {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), browserTestTimeout)
	t.Cleanup(cancel)
	out := &syncBuffer{} // the browser's own output, shown on failure
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		// No internet here: background services would only flood refusals.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.CombinedOutput(out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("chromium output (last 3000 bytes):\n%s", tail(out.String(), 3000))
		}
	})
	// The first action starts the browser and binds it to ctx, the bound
	// of the whole test; each later step gets a shorter bound of its own.
	if err := chromedp.Do(tabCtx, chromedp.EmulateViewport(360, 740,
		chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatalf("start chromium %s: %v", chromium, err)
	}
	return &phone{ctx: tabCtx, shots: screenshotDir()}
}

func screenshotDir() string {
	if dir := os.Getenv("JIANFU_SCREENSHOTS"); dir != "" {
		return dir
	}
	return defaultScreenshots
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// step bounds one step, so a page that never comes fails at that step
// rather than at the end of the whole test.
func (p *phone) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, browserStepTimeout)
}

// do runs actions that stay on the page.
func (p *phone) do(t *testing.T, name string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// follow runs actions that load a page, and checks the status of the
// document and the path it ends on after redirects.
func (p *phone) follow(t *testing.T, name string, status int, path string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if resp == nil {
		t.Fatalf("%s: no page loaded", name)
	}
	u, err := url.Parse(resp.URL)
	if err != nil {
		t.Fatalf("%s: the page has the address %q: %v", name, resp.URL, err)
	}
	if int(resp.Status) != status || u.Path != path {
		t.Fatalf("%s: landed on %s with status %d, want %s with %d", name, u.Path, resp.Status, path, status)
	}
}

// text is the visible text of the first element sel matches.
func (p *phone) text(t *testing.T, sel string) string {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// value is the current value of the control with this id.
func (p *phone) value(t *testing.T, id string) string {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		t.Fatalf("read #%s: %v", id, err)
	}
	return v
}

func (p *phone) checked(t *testing.T, id string) bool {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](chromedp.ID(id), "checked"))
	if err != nil {
		t.Fatalf("read #%s: %v", id, err)
	}
	return v
}

// fill enters in the way a cadre does: typing, picking, tapping boxes.
func (p *phone) fill(t *testing.T, in applicationEntry) {
	t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for _, f := range in.Typed {
		// Typed over what is there: the field may hold what the form
		// prefilled.
		steps = append(steps, chromedp.Focus(chromedp.ID(f[0])),
			chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent(f[1]))
	}
	for _, f := range in.Picked {
		steps = append(steps, chromedp.SetValue(chromedp.ID(f[0]), f[1]))
	}
	for _, id := range in.Ticked {
		steps = append(steps, chromedp.Tap(chromedp.ID(id)))
	}
	p.do(t, "FillApplication", steps...)
}

// assertKept checks that a refused form came back as the cadre left it;
// changed holds the values expected in place of in's.
func (p *phone) assertKept(t *testing.T, in applicationEntry, changed map[string]string) {
	t.Helper()
	want := map[string]string{}
	for _, f := range slices.Concat(in.Typed, in.Picked) {
		want[f[0]] = f[1]
	}
	for id, v := range changed {
		want[id] = v
	}
	for id, v := range want {
		if got := p.value(t, id); got != v {
			t.Errorf("#%s came back as %q, want %q as entered", id, got, v)
		}
	}
	for _, id := range in.Ticked {
		if !p.checked(t, id) {
			t.Errorf("#%s came back unticked, want it ticked as left", id)
		}
	}
	for _, id := range in.Unticked {
		if p.checked(t, id) {
			t.Errorf("#%s came back ticked, want it off as left", id)
		}
	}
}

// fieldErrorView is how the page shows the error of one input.
type fieldErrorView struct {
	Errors      int     `json:"errors"`      // .field-error elements on the whole page
	Message     string  `json:"message"`     // the .field-error inside the input's own .field
	ErrorID     string  `json:"errorID"`     // its id
	Invalid     string  `json:"invalid"`     // aria-invalid of the input
	DescribedBy string  `json:"describedBy"` // aria-describedby of the input
	Gap         float64 `json:"gap"`         // CSS px from the input's bottom to the error's top
	SummaryLink bool    `json:"summaryLink"` // the error summary links to the input
}

func (p *phone) fieldError(t *testing.T, id string) fieldErrorView {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	js := fmt.Sprintf(`((id) => {
		const input = document.getElementById(id);
		const field = input.closest(".field");
		const err = field ? field.querySelector(".field-error") : null;
		return {
			errors: document.querySelectorAll(".field-error").length,
			message: err ? err.textContent.trim() : "",
			errorID: err ? err.id : "",
			invalid: input.getAttribute("aria-invalid") || "",
			describedBy: input.getAttribute("aria-describedby") || "",
			gap: err ? err.getBoundingClientRect().top - input.getBoundingClientRect().bottom : -1,
			summaryLink: document.querySelector('.error-summary a[href="#' + id + '"]') !== null,
		};
	})(%q)`, id)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[fieldErrorView](js))
	if err != nil {
		t.Fatalf("read the error of #%s: %v", id, err)
	}
	return v
}

// fieldPlace is where an input and its label are on the screen, in CSS px.
type fieldPlace struct {
	LabelTop    float64 `json:"labelTop"`
	InputBottom float64 `json:"inputBottom"`
	ViewHeight  float64 `json:"viewHeight"`
}

func (p *phone) place(t *testing.T, id string) fieldPlace {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	js := fmt.Sprintf(`((id) => {
		const input = document.getElementById(id);
		const label = document.querySelector('label[for="' + id + '"]');
		return {
			labelTop: label.getBoundingClientRect().top,
			inputBottom: input.getBoundingClientRect().bottom,
			viewHeight: window.innerHeight,
		};
	})(%q)`, id)
	v, err := chromedp.Run(ctx, chromedp.Evaluate[fieldPlace](js))
	if err != nil {
		t.Fatalf("measure #%s: %v", id, err)
	}
	return v
}

// screenshot saves what the phone shows as name.png, and the whole page as
// name-full.png.
func (p *phone) screenshot(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := p.step()
	defer cancel()
	screen, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	whole, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG, not JPEG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(p.shots, 0o755); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	for _, s := range []struct {
		file string
		png  []byte
	}{{name + ".png", screen}, {name + "-full.png", whole}} {
		path := filepath.Join(p.shots, s.file)
		if err := os.WriteFile(path, s.png, 0o644); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		t.Logf("screenshot: %s", path)
	}
}
