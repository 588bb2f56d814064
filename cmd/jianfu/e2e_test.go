package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"jianfu/ent/storetest"
)

// The whole five-step identification through the JSON API with the demo
// users, on every database: the household is included after every step,
// department task and hold, and each refusal changes nothing.
func TestIdentificationEndToEnd(t *testing.T) {
	for _, db := range storetest.TestDatabases(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := startE2E(t, db.DSN)
			runIdentification(t, e)
			e.assertNoFullIDNumbers(t)
		})
	}
}

// e2e is a running server with the demo county and a captured log.
type e2e struct {
	srv    *httptest.Server
	app    *app
	logs   *syncBuffer
	tokens map[string]string
	idNums []string // every full 身份证号 the test saw, to look for in logs and lists
	lists  []string // bodies of list responses
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startE2E(t *testing.T, dsn string) *e2e {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := openApp(context.Background(), dsn, t.TempDir(), true, log)
	if err != nil {
		t.Fatalf("open app on %s: %v", dsn, err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	return &e2e{srv: srv, app: a, logs: logs, tokens: map[string]string{}}
}

// call sends one API request as a user ("" for none) and decodes the JSON
// answer into a map.
func (e *e2e) call(t *testing.T, user, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("marshal %v: %v", body, err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.login(t, user))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if method == http.MethodGet && (strings.HasSuffix(path, "/households") || strings.Contains(path, "/tasks")) {
		e.lists = append(e.lists, string(raw))
	}
	out := map[string]any{}
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, out
}

func (e *e2e) login(t *testing.T, user string) string {
	t.Helper()
	if tok, ok := e.tokens[user]; ok {
		return tok
	}
	raw, _ := json.Marshal(map[string]string{"username": user, "password": "demo"})
	resp, err := http.Post(e.srv.URL+"/api/v1/login", "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.Token == "" {
		t.Fatalf("login %s: status %d, err %v", user, resp.StatusCode, err)
	}
	e.tokens[user] = out.Token
	return out.Token
}

// must asserts a status and returns the body.
func (e *e2e) must(t *testing.T, want int, user, method, path string, body any) map[string]any {
	t.Helper()
	got, out := e.call(t, user, method, path, body)
	if got != want {
		t.Fatalf("%s %s %s: status %d, want %d; body %v", user, method, path, got, want, out)
	}
	return out
}

var fullID = regexp.MustCompile(`\d{17}[\dXx]`)

func (e *e2e) assertNoFullIDNumbers(t *testing.T) {
	t.Helper()
	logs := e.logs.String()
	for _, id := range e.idNums {
		if strings.Contains(logs, id) {
			t.Errorf("the log contains the full 身份证号 %s", id)
		}
	}
	for _, body := range e.lists {
		if m := fullID.FindString(body); m != "" {
			t.Errorf("a list response contains a full 身份证号 %s: %.200s", m, body)
		}
	}
	if !strings.Contains(logs, "/api/v1/cases/:id/fire") {
		t.Errorf("the request log does not name the fire route; the log check would prove nothing:\n%.2000s", logs)
	}
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func fmtPath(format string, args ...any) string { return fmt.Sprintf(format, args...) }
