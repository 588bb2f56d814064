package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"entgo.io/ent/dialect"

	"jianfu/ent"
	"jianfu/ent/household"
	"jianfu/ent/store"
	"jianfu/roles"
	"jianfu/workflows"
)

// benchScale is the size of the synthetic county and the bounds of every
// measurement loop run on it.
type benchScale struct {
	Name                             string
	Townships, VillagesPerTownship   int
	Households, Cases, Tasks, Events int
	ImportRows                       int
	// Every loop stops at its count or its time, whichever comes first.
	DurableOps  int
	DurableTime time.Duration
	Reads       int
	ReadTime    time.Duration
}

var benchScales = map[string]benchScale{
	"county": {Name: "county", Townships: 20, VillagesPerTownship: 15,
		Households: 300_000, Cases: 30_000, Tasks: 300_000, Events: 1_000_000, ImportRows: 100_000,
		DurableOps: 3000, DurableTime: 15 * time.Second, Reads: 1500, ReadTime: 15 * time.Second},
	"small": {Name: "small", Townships: 5, VillagesPerTownship: 10,
		Households: 30_000, Cases: 3000, Tasks: 30_000, Events: 100_000, ImportRows: 10_000,
		DurableOps: 1000, DurableTime: 8 * time.Second, Reads: 400, ReadTime: 8 * time.Second},
	"tiny": {Name: "tiny", Townships: 2, VillagesPerTownship: 3,
		Households: 300, Cases: 40, Tasks: 300, Events: 1000, ImportRows: 200,
		DurableOps: 40, DurableTime: 3 * time.Second, Reads: 20, ReadTime: 3 * time.Second},
}

// benchCounty is the code of the synthetic county and the password of
// every generated account.
const (
	benchCounty   = "510100000000"
	benchPassword = "bench"
)

// benchDepartments are the departments the identification workflow fans
// out to; each gets a liaison.
var benchDepartments = []string{"education", "housing", "water", "health",
	"public_security", "civil_affairs", "finance", "natural_resources", "market_regulation", "tax"}

// county is what the generator made: the accounts and cases the
// measurements act on.
type county struct {
	Villages  []string // 12-digit codes
	Townships []string
	// Durable are cases in verification reserved for the durable-action
	// measurement, each with the village cadre who may act on it.
	Durable []*durableCase
	// Others are ids of the remaining cases, for reads and the raw
	// commit baseline.
	Others     []int
	Households int
}

// durableCase is a case the durable measurement moves, with where it
// stands; the measurement updates it after every action.
type durableCase struct {
	ID      int
	Actor   workflows.User
	State   string
	Version int
	Turn    int
}

func villageUser(code string) string  { return "v" + code[6:] }
func townshipUser(code string) string { return "t" + code[6:9] }
func liaisonUser(dept string) string  { return "liaison-" + dept }

// generateCounty fills an empty database with a county of sc's size:
// locality tree, accounts, the household registry (through
// store.LoadHouseholds, the same path an import takes), cases across all
// states of the identification workflow with their tasks and audit events.
func generateCounty(ctx context.Context, db *store.DB, svc *store.Service, sc benchScale, reserve int) (*county, error) {
	c := &county{}
	var locs []store.NewLocality
	locs = append(locs, store.NewLocality{Code: benchCounty, Name: "基准县"})
	for t := 1; t <= sc.Townships; t++ {
		tcode := fmt.Sprintf("510100%03d000", t)
		c.Townships = append(c.Townships, tcode)
		locs = append(locs, store.NewLocality{Code: tcode, Name: fmt.Sprintf("第%d镇", t)})
		for v := 1; v <= sc.VillagesPerTownship; v++ {
			vcode := fmt.Sprintf("510100%03d%03d", t, v)
			c.Villages = append(c.Villages, vcode)
			locs = append(locs, store.NewLocality{Code: vcode, Name: fmt.Sprintf("第%d镇第%d村", t, v)})
		}
	}
	if err := svc.CreateLocalities(ctx, locs); err != nil {
		return nil, err
	}
	if err := createBenchUsers(ctx, svc, c); err != nil {
		return nil, err
	}
	admin := workflows.User{Username: "county", Role: roles.County, Locality: benchCounty}
	rng := rand.New(rand.NewPCG(510100, 2026))
	const chunk = 20_000 // households built in memory at a time
	for start := 0; start < sc.Households; start += chunk {
		hs := syntheticHouseholds(rng, c.Villages, start, min(chunk, sc.Households-start))
		if _, err := svc.LoadHouseholds(ctx, admin, hs); err != nil {
			return nil, fmt.Errorf("load households: %w", err)
		}
	}
	c.Households = sc.Households
	if err := generateCases(ctx, db, svc, sc, c, rng, reserve); err != nil {
		return nil, err
	}
	// PostgreSQL's autovacuum gathers planner statistics and marks pages
	// all-visible (what lets an index-only scan skip the table) a minute
	// or so after a load; the reads start at once, and without either they
	// measured a database no county runs on.
	if db.Dialect == dialect.Postgres {
		if _, err := db.SQL().ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return nil, fmt.Errorf("analyze the generated county: %w", err)
		}
	}
	return c, nil
}

func createBenchUsers(ctx context.Context, svc *store.Service, c *county) error {
	hash, err := store.HashPassword(benchPassword)
	if err != nil {
		return err
	}
	users := []store.NewUser{{Username: "county", Name: "县乡村振兴局", Role: roles.County, Locality: benchCounty, PasswordHash: hash}}
	for _, t := range c.Townships {
		users = append(users, store.NewUser{Username: townshipUser(t), Name: "乡镇干部", Role: roles.Township, Locality: t, PasswordHash: hash})
	}
	for _, v := range c.Villages {
		users = append(users, store.NewUser{Username: villageUser(v), Name: "防贫监测员", Role: roles.Village, Locality: v, PasswordHash: hash})
	}
	for _, d := range slices.Concat(benchDepartments, []string{listDepartment}) {
		users = append(users, store.NewUser{Username: liaisonUser(d), Name: "部门联络员", Role: roles.Liaison, Locality: benchCounty, Department: d, PasswordHash: hash})
	}
	return svc.CreateUsers(ctx, users)
}

var (
	benchSurnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
	benchGiven    = []string{"建国", "秀英", "桂英", "志强", "明", "丽", "军", "芳", "伟", "敏", "静", "海", "霞", "勇", "艳", "杰"}
	benchKin      = []string{"配偶", "之子", "之女", "父母", "孙子女"}
)

// syntheticHouseholds makes n households, household i living in village
// i mod len(villages); seq numbers keep every head's 身份证号 distinct.
func syntheticHouseholds(rng *rand.Rand, villages []string, first, n int) []workflows.Household {
	out := make([]workflows.Household, n)
	for k := range n {
		i := first + k
		surname := string(benchSurnames[rng.IntN(len(benchSurnames))])
		h := workflows.Household{HeadName: surname + benchGiven[rng.IntN(len(benchGiven))],
			IDNumber: syntheticID(rng, 1950+rng.IntN(40), i), Locality: villages[i%len(villages)]}
		h.Members = append(h.Members, workflows.Member{Name: h.HeadName, IDNumber: h.IDNumber, Relation: "户主"})
		for range rng.IntN(4) {
			h.Members = append(h.Members, workflows.Member{Name: surname + benchGiven[rng.IntN(len(benchGiven))],
				Relation: benchKin[rng.IntN(len(benchKin))]})
		}
		out[k] = h
	}
	return out
}

// syntheticID makes a valid 18-digit 身份证号; distinct seq give distinct
// numbers (seq < 10^7).
func syntheticID(rng *rand.Rand, year, seq int) string {
	body := fmt.Sprintf("%06d%04d%02d%02d%03d", 500000+seq/1000, year, 1+rng.IntN(12), 1+rng.IntN(28), seq%1000)
	return body + string(idCheck(body))
}

// idCheck is the GB 11643 check character of the first 17 digits.
func idCheck(body string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(body[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

// identificationPath is the road of an included case; a case in state
// path[k] has passed path[:k]. not_included leaves from verification.
var identificationPath = []string{"application", "verification", "deliberation", "notice",
	"township_review", "county_decision", "included"}

// stateMix spreads cases over the states, in percent; most cases of a
// county are already decided.
var stateMix = []struct {
	state   string
	percent int
}{
	{"application", 5}, {"verification", 10}, {"deliberation", 5}, {"notice", 5},
	{"township_review", 5}, {"county_decision", 5}, {"included", 50}, {"not_included", 15},
}

// fanOut is the departments of the states with department tasks.
var fanOut = map[string][]string{
	"township_review": {"education", "housing", "water", "health"},
	"county_decision": {"public_security", "civil_affairs", "finance", "natural_resources", "market_regulation", "tax"},
}

func stateOf(i, n int) string {
	p := (i * 100) / max(n, 1)
	for _, m := range stateMix {
		if p < m.percent {
			return m.state
		}
		p -= m.percent
	}
	return "included"
}

// generateCases writes cases with consistent tasks and history. The first
// reserve cases are in verification, one per household 0..reserve-1, for
// the durable measurement; the others are spread by stateMix over random
// households.
func generateCases(ctx context.Context, db *store.DB, svc *store.Service, sc benchScale, c *county, rng *rand.Rand, reserve int) error {
	def, err := svc.LatestWorkflow("identification")
	if err != nil {
		return err
	}
	ids, err := db.Client.Household.Query().Order(ent.Asc(household.FieldID)).Limit(sc.Households).
		Select(household.FieldID, household.FieldLocality, household.FieldLocalityPath).All(ctx)
	if err != nil {
		return fmt.Errorf("list households: %w", err)
	}
	order := append(make([]int, 0, len(ids)), rng.Perm(len(ids)-reserve)...)
	for i := range order {
		order[i] += reserve
	}
	order = append(seq(reserve), order...)
	g := caseGen{def: def, tasksPer: sc.Tasks / sc.Cases, eventsPer: sc.Events / sc.Cases, now: time.Now()}
	const batch = 500
	for start := 0; start < sc.Cases; start += batch {
		n := min(batch, sc.Cases-start)
		hs := make([]*ent.Household, n)
		states := make([]string, n)
		for k := range n {
			hs[k] = ids[order[start+k]]
			states[k] = "verification"
			if start+k >= reserve {
				states[k] = stateOf(start+k-reserve, sc.Cases-reserve)
			}
		}
		created, err := g.write(ctx, db.Client, hs, states)
		if err != nil {
			return err
		}
		for k, id := range created {
			if start+k < reserve {
				actor := workflows.User{Username: villageUser(hs[k].Locality), Role: roles.Village, Locality: hs[k].Locality}
				c.Durable = append(c.Durable, &durableCase{ID: id, Actor: actor, State: "verification", Version: 1})
			} else {
				c.Others = append(c.Others, id)
			}
		}
	}
	return nil
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// caseGen writes one batch of cases in one transaction.
type caseGen struct {
	def                 *workflows.Definition
	tasksPer, eventsPer int
	now                 time.Time
}

func (g caseGen) write(ctx context.Context, client *ent.Client, hs []*ent.Household, states []string) ([]int, error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	ids, err := g.writeTx(ctx, tx, hs, states)
	if err != nil {
		return nil, fmt.Errorf("generate cases: %w", errors.Join(err, tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit cases: %w", err)
	}
	return ids, nil
}

func (g caseGen) writeTx(ctx context.Context, tx *ent.Tx, hs []*ent.Household, states []string) ([]int, error) {
	creates := make([]*ent.CasefileCreate, len(hs))
	for k, h := range hs {
		st := g.def.States[states[k]]
		c := tx.Casefile.Create().SetWorkflow(g.def.ID).SetWorkflowVersion(g.def.Version).SetState(states[k]).
			SetHouseholdID(h.ID).SetLocality(h.Locality).SetLocalityPath(h.LocalityPath).
			SetEnteredAt(g.now).SetCreatedAt(g.now.Add(-30 * 24 * time.Hour)).SetUpdatedAt(g.now)
		if st != nil && st.Final {
			c.SetFinal(true).SetOutcome(st.Outcome)
		}
		creates[k] = c
	}
	cases, err := tx.Casefile.CreateBulk(creates...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("insert cases: %w", err)
	}
	var tasks []*ent.TaskCreate
	var events []*ent.EventCreate
	for k, c := range cases {
		tasks = append(tasks, g.tasks(tx, c, states[k])...)
		events = append(events, g.events(tx, c, states[k])...)
	}
	// Task rows have 14 columns and events 11: batches of 2,000 stay
	// under both databases' limits on bound parameters.
	for start := 0; start < len(tasks); start += 2000 {
		if _, err := tx.Task.CreateBulk(tasks[start:min(start+2000, len(tasks))]...).Save(ctx); err != nil {
			return nil, fmt.Errorf("insert tasks: %w", err)
		}
	}
	for start := 0; start < len(events); start += 2000 {
		if _, err := tx.Event.CreateBulk(events[start:min(start+2000, len(events))]...).Save(ctx); err != nil {
			return nil, fmt.Errorf("insert events: %w", err)
		}
	}
	ids := make([]int, len(cases))
	for k, c := range cases {
		ids[k] = c.ID
	}
	return ids, nil
}

// passed is the states a case in state has gone through before it.
func passed(state string) []string {
	if state == "not_included" {
		return identificationPath[:2]
	}
	for k, s := range identificationPath {
		if s == state {
			return identificationPath[:k]
		}
	}
	return nil
}

// tasks are the open tasks of the current state (the acting role's and
// the fan-out), then done tasks of the states passed, cycling until the
// case has tasksPer.
func (g caseGen) tasks(tx *ent.Tx, c *ent.Casefile, state string) []*ent.TaskCreate {
	var out []*ent.TaskCreate
	task := func(state, role, dept, status string, due time.Time) {
		t := tx.Task.Create().SetCaseID(c.ID).SetWorkflow(c.Workflow).SetState(state).SetRole(role).
			SetDepartment(dept).SetLocality(c.Locality).SetLocalityPath(c.LocalityPath).
			SetStatus(status).SetDue(due).SetCreatedAt(g.now)
		if status == workflows.TaskDone {
			t.SetCompletedBy("generator").SetCompletedAt(g.now)
		}
		out = append(out, t)
	}
	if st := g.def.States[state]; st != nil && !st.Final {
		task(state, st.Role, "", workflows.TaskOpen, g.now.Add(5*24*time.Hour))
		for _, d := range fanOut[state] {
			task(state, "", d, workflows.TaskOpen, g.now.Add(10*24*time.Hour))
		}
	}
	history := passed(state)
	if len(history) == 0 {
		history = []string{state}
	}
	for k := 0; len(out) < g.tasksPer; k++ {
		s := history[k%len(history)]
		role := ""
		if st := g.def.States[s]; st != nil {
			role = st.Role
		}
		task(s, role, "", workflows.TaskDone, g.now.Add(-time.Duration(k)*time.Hour))
	}
	return out
}

// events are the case's history (start, one fire per step), then department
// completions until the case has eventsPer.
func (g caseGen) events(tx *ent.Tx, c *ent.Casefile, state string) []*ent.EventCreate {
	road := append(passed(state), state)
	out := make([]*ent.EventCreate, 0, g.eventsPer)
	for k := 0; k < g.eventsPer; k++ {
		e := tx.Event.Create().SetCaseID(c.ID).SetActor("generator").SetRole(roles.Village).
			SetLocality(c.Locality).SetAt(g.now.Add(time.Duration(k-g.eventsPer) * time.Hour))
		switch {
		case k == 0:
			e.SetKind("start").SetTrigger(workflows.TriggerStart).SetToState(road[0])
		case k < len(road):
			e.SetKind("fire").SetTrigger("submit").SetFromState(road[k-1]).SetToState(road[k])
		default:
			s := road[k%len(road)]
			e.SetKind("complete_task").SetTrigger(workflows.TriggerCompleteTask).SetFromState(s).SetToState(s).
				SetRole(roles.Liaison)
		}
		out = append(out, e)
	}
	return out
}
