package main

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"

	"jianfu/ent/store"
)

// rate is the outcome of one bounded loop of operations.
type rate struct {
	Clients int
	Ops     int
	Errors  int
	Elapsed time.Duration
	// FirstErr is kept so a failing run says why, not only how often.
	FirstErr error
}

func (r rate) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Ops) / r.Elapsed.Seconds()
}

// runClients runs op from clients goroutines until ops operations have
// been started or limit has passed. Client i gets its own index so it can
// keep to its own rows. An operation cut short by the time limit counts
// neither as done nor as failed.
func runClients(ctx context.Context, clients, ops int, limit time.Duration, op func(ctx context.Context, client int) error) rate {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var next, done, failed atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for i := range clients {
		wg.Go(func() {
			for ctx.Err() == nil && next.Add(1) <= int64(ops) {
				err := op(ctx, i)
				switch {
				case err == nil:
					done.Add(1)
				case ctx.Err() == nil:
					failed.Add(1)
					once.Do(func() { firstErr = err })
				}
			}
		})
	}
	wg.Wait()
	return rate{Clients: clients, Ops: int(done.Load()), Errors: int(failed.Load()),
		Elapsed: time.Since(start), FirstErr: firstErr}
}

// durableCycle moves a case round verification → deliberation → notice →
// verification (an objection sends it back), so every action fires a
// trigger with a real form: the heavy 入户核实表, the deliberation vote
// with its guard, and the send-back reason.
type durableCycle struct {
	svc   *store.Service
	cases [][]*durableCase // per client; each client owns its cases
}

func newDurableCycle(svc *store.Service, cases []*durableCase, clients int) *durableCycle {
	d := &durableCycle{svc: svc, cases: make([][]*durableCase, clients)}
	for i, c := range cases {
		d.cases[i%clients] = append(d.cases[i%clients], c)
	}
	return d
}

// fire takes client's next case one step round the cycle through
// Service.Fire: authorize, validate, fire, persist and audit in one
// transaction.
func (d *durableCycle) fire(ctx context.Context, client int) error {
	mine := d.cases[client]
	if len(mine) == 0 {
		return fmt.Errorf("client %d has no case", client)
	}
	c := mine[0]
	d.cases[client] = append(mine[1:], c)
	trigger, data := cycleStep(c.State, c.Turn)
	out, err := d.svc.Fire(ctx, c.Actor, c.ID, trigger, data, c.Version)
	if err != nil {
		return fmt.Errorf("fire %s on case %d in %s: %w", trigger, c.ID, c.State, err)
	}
	c.State, c.Version, c.Turn = out.To, out.Version, c.Turn+1
	return nil
}

func cycleStep(state string, turn int) (string, map[string]any) {
	switch state {
	case "verification":
		return "confirm", sampleVerification(2 + turn%5)
	case "deliberation":
		return "pass", sampleDeliberation()
	default:
		return "objection", map[string]any{"reason": "群众反映家中新购车辆，需重新核实"}
	}
}

// rawCommit is the database's own limit for an action's write shape: one
// transaction with one UPDATE of a case row and one INSERT of an event,
// on the same pool and settings as the service (for SQLite the DSN's
// _txlock=immediate, WAL and synchronous=FULL), with prepared
// statements as the service's transactions use them.
type rawCommit struct {
	db             *sql.DB
	update, insert *sql.Stmt
	cases          *clientCases
	writes         writeLock
}

// writeLock lets one baseline transaction write at a time on SQLite, as
// the service does (store.DB's write lock): with many clients the baseline
// then measures SQLite's commits, not the sleeps of its busy handler,
// which made the 16-client raw rate swing between 7,000 and 11,000/s.
// PostgreSQL locks rows itself: nil there.
type writeLock struct{ mu *sync.Mutex }

func newWriteLock(db *store.DB) writeLock {
	if db.Dialect != dialect.SQLite {
		return writeLock{}
	}
	return writeLock{mu: new(sync.Mutex)}
}

// hold takes the lock and returns its release.
func (w writeLock) hold() func() {
	if w.mu == nil {
		return func() {}
	}
	w.mu.Lock()
	return w.mu.Unlock
}

// clientCases deals case ids out to clients, each client its own, so
// clients never contend for one row; each client goes round its cases.
type clientCases struct {
	ids     [][]int
	counter []int
}

func newClientCases(cases []int, clients int) *clientCases {
	cc := &clientCases{ids: make([][]int, clients), counter: make([]int, clients)}
	for i, id := range cases {
		cc.ids[i%clients] = append(cc.ids[i%clients], id)
	}
	return cc
}

// next is client's next case.
func (cc *clientCases) next(client int) int {
	ids := cc.ids[client]
	id := ids[cc.counter[client]%len(ids)]
	cc.counter[client]++
	return id
}

func newRawCommit(ctx context.Context, db *store.DB, cases []int, clients int) (*rawCommit, error) {
	update := `UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?`
	insert := `INSERT INTO events (case_id, kind, actor, role, locality, "trigger", from_state, to_state, submission_id, object, at)
			VALUES (?, 'fire', 'bench', 'village', '510100001001', 'confirm', 'verification', 'deliberation', NULL, '', ?)`
	stmts, err := prepare(ctx, db, update, insert)
	if err != nil {
		return nil, err
	}
	return &rawCommit{db: db.SQL(), update: stmts[0], insert: stmts[1], cases: newClientCases(cases, clients),
		writes: newWriteLock(db)}, nil
}

// prepare prepares queries written with ? placeholders on db's pool,
// numbering the placeholders for PostgreSQL.
func prepare(ctx context.Context, db *store.DB, queries ...string) ([]*sql.Stmt, error) {
	out := make([]*sql.Stmt, len(queries))
	for i, q := range queries {
		if db.Dialect == dialect.Postgres {
			q = numbered(q)
		}
		s, err := db.SQL().PrepareContext(ctx, q)
		if err != nil {
			closeAll(out[:i])
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		out[i] = s
	}
	return out, nil
}

func closeAll(stmts []*sql.Stmt) {
	for _, s := range stmts {
		s.Close()
	}
}

func (r *rawCommit) Close() { closeAll([]*sql.Stmt{r.update, r.insert}) }

func (r *rawCommit) commit(ctx context.Context, client int) error {
	id := r.cases.next(client)
	defer r.writes.hold()()
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	now := time.Now()
	if _, err := tx.StmtContext(ctx, r.update).ExecContext(ctx, now, id); err != nil {
		tx.Rollback()
		return fmt.Errorf("update case %d: %w", id, err)
	}
	if _, err := tx.StmtContext(ctx, r.insert).ExecContext(ctx, id, now); err != nil {
		tx.Rollback()
		return fmt.Errorf("insert event: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// durableResult pairs the service's action rate with the raw commit rate
// at one concurrency.
type durableResult struct {
	Durable, Raw rate
	// Rows is the action's rows as plain SQL (rowsCommit).
	Rows rate
	// RoundRatios are durable ÷ raw of each round (durableRounds).
	RoundRatios []float64
}

// durableRounds is how many rounds each loop is split into, the three
// kinds taking turns: a disk whose commit rate drifts during the run (it
// does here, by 2× between runs) then weighs on all three alike.
const durableRounds = 5

// add sums another round into r.
func (r *rate) add(o rate) {
	r.Clients = o.Clients
	r.Ops += o.Ops
	r.Errors += o.Errors
	r.Elapsed += o.Elapsed
	if r.FirstErr == nil {
		r.FirstErr = o.FirstErr
	}
}

func (d durableResult) Ratio() float64 {
	if d.Raw.PerSecond() == 0 {
		return 0
	}
	return d.Durable.PerSecond() / d.Raw.PerSecond()
}

// RowsRatio is the action's rate against the rows baseline: Jianfu's own
// overhead on top of what its rows cost the database.
func (d durableResult) RowsRatio() float64 {
	if d.Rows.PerSecond() == 0 {
		return 0
	}
	return d.Durable.PerSecond() / d.Rows.PerSecond()
}

// measureDurable runs the durable actions, the raw baseline and the rows
// baseline with each number of clients, in durableRounds rounds of turns
// so all three see the same database and disk.
func measureDurable(ctx context.Context, db *store.DB, svc *store.Service, c *county, sc benchScale, concurrency []int) ([]durableResult, error) {
	var out []durableResult
	ops, limit := max(sc.DurableOps/durableRounds, 1), sc.DurableTime/durableRounds
	for _, n := range concurrency {
		if len(c.Durable) < n || len(c.Others) < n {
			return nil, fmt.Errorf("%d clients need %d reserved cases, the county has %d", n, n, len(c.Durable))
		}
		cycle := newDurableCycle(svc, c.Durable, n)
		raw, err := newRawCommit(ctx, db, c.Others, n)
		if err != nil {
			return nil, err
		}
		rows, err := newRowsCommit(ctx, db, c.Others, n)
		if err != nil {
			raw.Close()
			return nil, err
		}
		var res durableResult
		for range durableRounds {
			// Errors (SQLITE_BUSY past the busy timeout, say) are part of
			// the result: the report shows them rather than the run
			// stopping.
			d := runClients(ctx, n, ops, limit, cycle.fire)
			r := runClients(ctx, n, ops, limit, raw.commit)
			res.Durable.add(d)
			res.Raw.add(r)
			res.Rows.add(runClients(ctx, n, ops, limit, rows.commit))
			if r.PerSecond() > 0 {
				res.RoundRatios = append(res.RoundRatios, d.PerSecond()/r.PerSecond())
			}
		}
		raw.Close()
		rows.Close()
		out = append(out, res)
	}
	return out, nil
}
