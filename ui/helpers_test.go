package ui

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"jianfu/forms/attachments"
)

// testServer is the handler under test with its fake service and log.
type testServer struct {
	handler http.Handler
	svc     *fakeService
	logs    *lockedBuffer
	// jobs counts the list imports still running after their upload was
	// answered (Config.Background).
	jobs *sync.WaitGroup
}

type serverOption func(*Config, *fakeService)

// withFakeClock enables POST /api/v1/admin/clock.
func withFakeClock() serverOption {
	return func(cfg *Config, f *fakeService) { cfg.SetClock = f.setClock }
}

// withAttachments keeps uploads in a disk store under a temporary
// directory; it returns the store through *out for the test to read.
func withAttachments(t testing.TB, out **attachments.Disk) serverOption {
	t.Helper()
	store, err := attachments.NewDisk(t.TempDir())
	if err != nil {
		t.Fatalf("open attachment store: %v", err)
	}
	if out != nil {
		*out = store
	}
	return func(cfg *Config, _ *fakeService) { cfg.Attachments = store }
}

func newTestServer(t testing.TB, opts ...serverOption) *testServer {
	t.Helper()
	svc := newFakeService(t)
	logs := &lockedBuffer{}
	jobs := &sync.WaitGroup{}
	// No import outlives its test.
	t.Cleanup(jobs.Wait)
	cfg := Config{
		Service:    svc,
		Logger:     slog.New(slog.NewTextHandler(logs, nil)),
		Now:        func() time.Time { return svc.now },
		Background: jobs,
	}
	for _, o := range opts {
		o(&cfg, svc)
	}
	return &testServer{handler: New(cfg), svc: svc, logs: logs, jobs: jobs}
}

// wait returns once every list import started so far has finished.
func (ts *testServer) wait() { ts.jobs.Wait() }

// api sends a JSON API request with an optional bearer token.
func (ts *testServer) api(method, target, token, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec
}

// browse sends a page request as a signed-in user ("" for none); a non-nil
// form is posted urlencoded.
func (ts *testServer) browse(method, target, user string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if user != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "tok-" + user})
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec
}

// cookie returns the cookie of a response by name.
func cookie(rec *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// lockedBuffer is a log sink safe for the race detector.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// raw sends a request with any content type and body; a user signs in by
// cookie, an authorization header by bearer token.
func (ts *testServer) raw(method, target, user, contentType, body string, authorization ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if user != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "tok-" + user})
	}
	for _, a := range authorization {
		req.Header.Set("Authorization", a)
	}
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec
}
