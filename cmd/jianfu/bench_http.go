package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"jianfu/ent/store"
	"jianfu/ui"
)

// serverTimes records how long the handler took per request, keyed by a
// label the load generator sends: server time, without the client's share.
type serverTimes struct {
	mu    sync.Mutex
	times map[string][]time.Duration
}

const labelHeader = "X-Bench-Label"

func (s *serverTimes) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		d := time.Since(start)
		if label := r.Header.Get(labelHeader); label != "" {
			s.mu.Lock()
			s.times[label] = append(s.times[label], d)
			s.mu.Unlock()
		}
	})
}

// readResult is the latency distribution of one kind of read.
type readResult struct {
	Label         string
	N             int
	P50, P95, P99 time.Duration
}

func percentiles(label string, ds []time.Duration) readResult {
	slices.Sort(ds)
	at := func(p float64) time.Duration {
		if len(ds) == 0 {
			return 0
		}
		return ds[min(len(ds)-1, int(p*float64(len(ds))))]
	}
	return readResult{Label: label, N: len(ds), P50: at(0.50), P95: at(0.95), P99: at(0.99)}
}

// readLoad is the loopback HTTP load: the real handler (ui.New on the
// service) behind an httptest listener, driven by net/http clients.
type readLoad struct {
	srv    *httptest.Server
	client *http.Client
	times  *serverTimes
	tokens map[string]string
}

func newReadLoad(ctx context.Context, svc *store.Service, users []string) (*readLoad, error) {
	times := &serverTimes{times: map[string][]time.Duration{}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := ui.New(ui.Config{Service: svc, Logger: log})
	l := &readLoad{srv: httptest.NewServer(times.wrap(h)), times: times, tokens: map[string]string{},
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}}
	for _, u := range users {
		tok, err := svc.Authenticate(ctx, u, benchPassword)
		if err != nil {
			l.Close()
			return nil, fmt.Errorf("sign in %s: %w", u, err)
		}
		l.tokens[u] = tok
	}
	return l, nil
}

func (l *readLoad) Close() { l.srv.Close() }

// get requests path as user and checks the status.
func (l *readLoad) get(ctx context.Context, label, user, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.srv.URL+path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+l.tokens[user])
	req.Header.Set(labelHeader, label)
	resp, err := l.client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", label, err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("GET %s: read body: %w", label, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s as %s: status %d", label, user, resp.StatusCode)
	}
	return nil
}

// readKind is one read of the issue: a label and how to pick its request.
type readKind struct {
	label string
	next  func(rng *rand.Rand) (user, path string)
}

func readKinds(c *county) []readKind {
	pick := func(rng *rand.Rand, xs []string) string { return xs[rng.IntN(len(xs))] }
	surnames := []string{"王", "李", "张", "刘", "陈", "杨"}
	return []readKind{
		{"my-tasks/village", func(rng *rand.Rand) (string, string) {
			return villageUser(pick(rng, c.Villages)), "/api/v1/tasks"
		}},
		{"my-tasks/township", func(rng *rand.Rand) (string, string) {
			return townshipUser(pick(rng, c.Townships)), "/api/v1/tasks"
		}},
		{"my-tasks/liaison", func(rng *rand.Rand) (string, string) {
			return liaisonUser(pick(rng, benchDepartments)), "/api/v1/tasks"
		}},
		{"household-search/name", func(rng *rand.Rand) (string, string) {
			return "county", "/api/v1/households?q=" + pick(rng, surnames) + benchGiven[rng.IntN(len(benchGiven))]
		}},
		{"household-search/id-tail", func(rng *rand.Rand) (string, string) {
			return townshipUser(pick(rng, c.Townships)), "/api/v1/households?q=" + strconv.Itoa(1000+rng.IntN(9000))
		}},
		{"case-page", func(rng *rand.Rand) (string, string) {
			return "county", "/api/v1/cases/" + strconv.Itoa(c.Others[rng.IntN(len(c.Others))])
		}},
	}
}

func readUsers(c *county) []string {
	users := []string{"county"}
	for _, v := range c.Villages {
		users = append(users, villageUser(v))
	}
	for _, t := range c.Townships {
		users = append(users, townshipUser(t))
	}
	for _, d := range benchDepartments {
		users = append(users, liaisonUser(d))
	}
	return users
}

// warmUpReads is how many requests of each read kind go untimed before
// any is measured. Without them the first kind measured paid for the whole
// server's cold start — new pooled connections, statements not yet
// prepared or planned, a buffer cache not yet holding the indexes — and
// its p95 told of the start, not of a server at work.
const warmUpReads = 100

// measureReads runs every read kind with clients concurrent clients, each
// bounded by sc.Reads requests and sc.ReadTime, after warmUpReads untimed
// requests of every kind.
func (l *readLoad) measureReads(ctx context.Context, c *county, sc benchScale, clients int) ([]readResult, error) {
	kinds := readKinds(c)
	for _, k := range kinds {
		rng := rand.New(rand.NewPCG(99, 4))
		var mu sync.Mutex
		r := runClients(ctx, clients, warmUpReads, sc.ReadTime, func(ctx context.Context, _ int) error {
			mu.Lock()
			user, path := k.next(rng)
			mu.Unlock()
			return l.get(ctx, "", user, path) // no label: not timed
		})
		if r.Errors > 0 {
			return nil, fmt.Errorf("warm-up %s: %d errors, first: %w", k.label, r.Errors, r.FirstErr)
		}
	}
	var out []readResult
	for _, k := range kinds {
		rngs := make([]*rand.Rand, clients)
		for i := range rngs {
			rngs[i] = rand.New(rand.NewPCG(uint64(i), 4))
		}
		r := runClients(ctx, clients, sc.Reads, sc.ReadTime, func(ctx context.Context, i int) error {
			user, path := k.next(rngs[i])
			return l.get(ctx, k.label, user, path)
		})
		if r.Errors > 0 {
			return nil, fmt.Errorf("reads %s: %d errors, first: %w", k.label, r.Errors, r.FirstErr)
		}
		l.times.mu.Lock()
		out = append(out, percentiles(k.label, l.times.times[k.label]))
		l.times.mu.Unlock()
	}
	return out, nil
}

// memory is the process's resident set from /proc/self/status, in bytes:
// VmRSS now and VmHWM, the peak since start or the last resetPeak.
type memory struct{ RSS, Peak int64 }

func readMemory() (memory, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return memory{}, fmt.Errorf("read /proc/self/status: %w", err)
	}
	var m memory
	for line := range strings.Lines(string(b)) {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			continue
		}
		switch key {
		case "VmRSS":
			m.RSS = kb * 1024
		case "VmHWM":
			m.Peak = kb * 1024
		}
	}
	return m, nil
}

// resetPeak sets VmHWM back to the current RSS (Linux clear_refs 5), so
// the peak of one phase can be read on its own.
func resetPeak() error {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return fmt.Errorf("reset peak RSS: %w", err)
	}
	return nil
}
