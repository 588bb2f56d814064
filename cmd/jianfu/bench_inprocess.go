package main

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"jianfu/ent/store"
	"jianfu/forms"
	"jianfu/roles"
	"jianfu/workflows"
)

// The in-process figures are Go benchmarks (testing.B): `jianfu bench`
// runs them through testing.Benchmark and prints benchstat-friendly lines,
// and bench_test.go exposes the same bodies to `go test -bench`.

// benchResult is one named testing.B outcome.
type benchResult struct {
	Name   string
	Procs  int
	Result testing.BenchmarkResult
}

// Line is the benchmark in `go test -bench` format, which benchstat reads.
func (b benchResult) Line() string {
	return fmt.Sprintf("Benchmark%s-%d\t%s\t%s", b.Name, b.Procs, b.Result.String(), b.Result.MemString())
}

// PerSecond is operations per second over all goroutines.
func (b benchResult) PerSecond() float64 {
	ns := b.Result.NsPerOp()
	if ns == 0 {
		return 0
	}
	return 1e9 / float64(ns)
}

func runBenchmark(name string, f func(b *testing.B)) benchResult {
	return benchResult{Name: name, Procs: runtime.GOMAXPROCS(0), Result: testing.Benchmark(f)}
}

// cst is China Standard Time, the zone deadlines are computed in.
var cst = time.FixedZone("CST", 8*3600)

// fiveSteps is one walk of a case through 识别纳入 in memory, with the
// times a real case would see: the notice hold of five working days is
// over when no_objection fires.
type fiveSteps struct {
	engine           *workflows.Engine
	def              *workflows.Definition
	village          string
	cun, xiang, xian workflows.User
	steps            []walkStep
	start            time.Time
}

type walkStep struct {
	actor   workflows.User
	trigger string
	data    map[string]any
	at      time.Time
}

// newFiveSteps prepares the walk on the service's engine: the real
// registry, Casbin authorizer and calendar, without the database.
func newFiveSteps(svc *store.Service, village string) (*fiveSteps, error) {
	def, err := svc.LatestWorkflow("identification")
	if err != nil {
		return nil, err
	}
	w := &fiveSteps{engine: svc.Engine(), def: def, village: village,
		cun:   workflows.User{Username: villageUser(village), Role: roles.Village, Locality: village},
		xiang: workflows.User{Username: townshipUser(village), Role: roles.Township, Locality: village[:9] + "000"},
		xian:  workflows.User{Username: "county", Role: roles.County, Locality: benchCounty},
		start: time.Date(2026, 9, 21, 9, 0, 0, 0, cst)}
	day := func(d, h int) time.Time { return time.Date(2026, 9, d, h, 0, 0, 0, cst) }
	w.steps = []walkStep{
		{w.cun, "submit", sampleApplication(), day(21, 10)},
		{w.cun, "confirm", sampleVerification(2), day(24, 15)},
		{w.cun, "pass", sampleDeliberation(), day(29, 10)},
		{w.cun, "no_objection", sampleNotice(), time.Date(2026, 10, 12, 9, 0, 0, 0, cst)},
		{w.xiang, "approve", map[string]any{"opinion": "同意", "reviewer": "乡镇干部", "date": "2026-10-14"}, time.Date(2026, 10, 15, 11, 0, 0, 0, cst)},
		{w.xian, "approve", map[string]any{"decision": "纳入", "category": "突发严重困难户", "date": "2026-10-22"}, time.Date(2026, 10, 22, 16, 0, 0, 0, cst)},
	}
	return w, w.walk(context.Background())
}

// walk starts a case and fires every step, offering the actions at each
// step as the case page would; department tasks are done when asked.
func (w *fiveSteps) walk(ctx context.Context) error {
	tr, err := w.engine.Start(ctx, w.def, w.cun, w.village, w.start)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	snap := workflows.Snapshot{Definition: w.def, State: tr.To, EnteredAt: w.start, Locality: w.village}
	for _, st := range w.steps {
		_ = w.engine.Actions(ctx, snap, st.actor, st.at)
		tr, err := w.engine.Fire(ctx, snap, st.actor, st.trigger, st.data, st.at)
		if err != nil {
			return fmt.Errorf("%s in %s: %w", st.trigger, snap.State, err)
		}
		snap = workflows.Snapshot{Definition: w.def, State: tr.To, EnteredAt: st.at, Locality: w.village}
		for _, nt := range tr.NewTasks {
			if nt.Department != "" {
				snap.Tasks = append(snap.Tasks, workflows.TaskState{Department: nt.Department, Done: true})
			}
		}
	}
	if snap.State != "included" {
		return fmt.Errorf("walk ended in %s, want included", snap.State)
	}
	return nil
}

// benchEngine is one five-step instance per op on one goroutine.
func (w *fiveSteps) benchEngine(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := w.walk(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// benchEngineParallel is the same walk from GOMAXPROCS goroutines sharing
// the engine, the registry and the authorizer.
func (w *fiveSteps) benchEngineParallel(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := w.walk(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// benchValidation validates the 入户核实表 of a household of six, one
// goroutine, with Check as the engine and the list import call it: the
// result is forms per second per core.
func benchValidation(form *forms.Definition) func(b *testing.B) {
	in := sampleVerification(6)
	ctx := forms.Context{Params: forms.Params{"income_line": 7000}}
	return func(b *testing.B) {
		if _, errs := form.Check(in, ctx); errs != nil {
			b.Fatalf("benchmark input is invalid: %v", errs)
		}
		b.ReportAllocs()
		for b.Loop() {
			form.Check(in, ctx)
		}
	}
}

// Sample submissions: valid for the built-in forms, as a cadre would fill
// them.

func sampleApplication() map[string]any {
	return map[string]any{
		"head_name": "王建国", "head_id": sampleID(0), "phone": "13800138000",
		"members": []any{
			map[string]any{"name": "王建国", "id_card": sampleID(0), "relation": "户主"},
			map[string]any{"name": "王小丽", "id_card": sampleID(1), "relation": "之女"},
		},
		"reason": "户主突发脑梗住院，自付医疗费用较大，家庭收入锐减。", "channel": "书面",
		"risks": []any{"因病"}, "promise": true, "authorize": []any{"assets", "economy"},
		"signed": true, "filled_by": "张明", "date": "2026-09-21",
	}
}

// sampleVerification is a complete 入户核实表 of a household of n members.
func sampleVerification(n int) map[string]any {
	members := make([]any, n)
	for i := range n {
		m := map[string]any{"name": fmt.Sprintf("王%c", []rune("建小丽明芳伟敏静")[i%8]), "id_card": sampleID(i),
			"relation": "之子", "gender": "男", "age": 16 + 7*i, "health": "健康", "labour": "普通", "work_months": 6}
		if i == 0 {
			m["relation"], m["age"], m["health"], m["labour"] = "户主", 56, "患有大病", "丧失"
			delete(m, "work_months")
		}
		members[i] = m
	}
	return map[string]any{
		// Every field, as a page posts the form, the ones left blank
		// empty: the engine then reads no prefill source.
		"township": "第1镇", "village": "第1村", "group": "", "household_no": "", "head_name": "王建", "head_id": sampleID(0),
		"phone": "13800138000", "address": "第1村3组12号", "household_type": "一般农户", "members": members,
		"wage": 3000, "business": "1000.50", "property": 0, "transfer": 2400, "production_cost": 200, "medical_selfpay": 1500,
		"housing_grade": "B", "water_quality": "ok", "water_quantity": "ok", "water_access": "ok", "water_supply": "ok",
		"risks": []any{"因病", "因学"}, "category": "突发严重困难户",
		"checker1": "张明", "checker2": "李华", "head_signed": true, "visit_date": "2026-09-23",
	}
}

func sampleDeliberation() map[string]any {
	return map[string]any{
		"meeting_type": "村民代表会议", "date": "2026-09-28", "place": "村委会",
		"invited": 10, "attended": 8, "yes": 6, "no": 1, "abstain": 1, "outcome": "通过", "recorder": "张明",
	}
}

func sampleNotice() map[string]any {
	return map[string]any{"level": "village", "start": "2026-09-29", "days": 5, "working_days": true,
		"place": "村务公开栏", "objections": false}
}

// sampleID is a valid 身份证号 for member i of the sample household.
func sampleID(i int) string {
	body := fmt.Sprintf("510100%04d0101%03d", 1960+7*i, 10+i)
	return body + string(idCheck(body))
}
