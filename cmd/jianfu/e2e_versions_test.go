package main

import (
	"strings"
	"testing"

	"jianfu/ent/storetest"
	"jianfu/workflows"
)

// A case started on version 1 finishes on version 1 after version 2 is
// published; a case migrated to version 2 continues under its rules.
func TestVersionsAndMigrationEndToEnd(t *testing.T) {
	base := string(workflows.Builtin()["identification.yaml"])
	// Version 2 requires a unanimous vote at deliberation.
	v2 := strings.Replace(base, `when: "attended*3 >= invited*2 && yes*2 > attended"`,
		`when: "attended*3 >= invited*2 && yes == attended"`, 1)
	if v2 == base {
		t.Fatal("the built-in deliberation rule changed; update this test's version 2")
	}
	for _, db := range storetest.TestDatabases(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := startE2E(t, db.DSN)
			runVersions(t, e, v2)
		})
	}
}

func runVersions(t *testing.T, e *e2e, v2 string) {
	e.must(t, 200, "admin", "POST", "/api/v1/admin/clock", map[string]string{"now": "2026-09-28T09:00:00+08:00"})
	e.idNums = append(e.idNums, headID, memberID)
	start := func(t *testing.T, name, idNumber string) map[string]any {
		t.Helper()
		h := e.must(t, 201, "village11", "POST", "/api/v1/households", map[string]any{"head_name": name,
			"id_number": idNumber, "locality": "510100001001"})
		c := e.must(t, 201, "village11", "POST", "/api/v1/cases", map[string]any{"workflow": "identification", "household_id": num(h["id"])})
		c = e.must(t, 200, "village11", "POST", fmtPath("/api/v1/cases/%d/fire", num(c["id"])),
			map[string]any{"trigger": "submit", "data": applicationData(), "version": num(c["version"])})
		return e.must(t, 200, "village11", "POST", fmtPath("/api/v1/cases/%d/fire", num(c["id"])),
			map[string]any{"trigger": "confirm", "data": verificationData(), "version": num(c["version"])})
	}
	fire := func(t *testing.T, c map[string]any, want int, trigger string, data map[string]any) map[string]any {
		t.Helper()
		path := fmtPath("/api/v1/cases/%d", num(c["id"]))
		out := e.must(t, want, "village11", "POST", path+"/fire", map[string]any{"trigger": trigger, "data": data, "version": num(c["version"])})
		if want != 200 {
			return e.must(t, 200, "village11", "GET", path, nil)
		}
		return out
	}
	kept := start(t, "王建国", headID)
	moved := start(t, "李四", "110105198001010016")
	pub := e.must(t, 201, "admin", "POST", "/api/v1/definitions", v2)
	to := num(pub["version"])
	if to != num(kept["workflow_version"])+1 {
		t.Fatalf("published version %d, want %d", to, num(kept["workflow_version"])+1)
	}

	// The kept case passes by majority under its version 1 and ends there.
	kept = fire(t, kept, 200, "pass", deliberationData(10, 8, 6))
	assertState(t, kept, "notice")
	kept = fire(t, kept, 200, "objection", map[string]any{"reason": "群众反映收入不实", "to_state": "verification"})
	kept = fire(t, kept, 200, "reject", map[string]any{"reason": "收入高于监测范围", "date": "2026-09-28"})
	assertState(t, kept, "not_included")
	if num(kept["workflow_version"]) != to-1 {
		t.Errorf("the kept case finished on version %d, want %d", num(kept["workflow_version"]), to-1)
	}

	migrate := map[string]any{"workflow": "identification", "to_version": to,
		"case_ids": []int{num(kept["id"]), num(moved["id"])}, "dry_run": true}
	t.Run("OnlyAdministratorsMigrate", func(t *testing.T) {
		e.must(t, 403, "county1", "POST", "/api/v1/cases/migrate", migrate)
	})
	t.Run("DryRunListsWhatCannotMove", func(t *testing.T) {
		rep := e.must(t, 200, "admin", "POST", "/api/v1/cases/migrate", migrate)
		lines := rep["cases"].([]any)
		if len(lines) != 2 {
			t.Fatalf("dry run reported %d cases, want 2: %v", len(lines), rep)
		}
		finished, open := lines[0].(map[string]any), lines[1].(map[string]any)
		if finished["mappable"] != false || str(finished["reason"]) == "" {
			t.Errorf("a finished case is reported mappable or without a reason: %v", finished)
		}
		if open["mappable"] != true || open["migrated"] != false {
			t.Errorf("the open case should be mappable and untouched by a dry run: %v", open)
		}
		got := e.must(t, 200, "village11", "GET", fmtPath("/api/v1/cases/%d", num(moved["id"])), nil)
		if num(got["workflow_version"]) != to-1 {
			t.Errorf("a dry run moved the case to version %d", num(got["workflow_version"]))
		}
	})
	migrate["case_ids"], migrate["dry_run"] = []int{num(moved["id"])}, false
	rep := e.must(t, 200, "admin", "POST", "/api/v1/cases/migrate", migrate)
	if line := rep["cases"].([]any)[0].(map[string]any); line["migrated"] != true {
		t.Fatalf("the case was not migrated: %v", rep)
	}
	moved = e.must(t, 200, "village11", "GET", fmtPath("/api/v1/cases/%d", num(moved["id"])), nil)
	if num(moved["workflow_version"]) != to {
		t.Fatalf("migrated case is on version %d, want %d", num(moved["workflow_version"]), to)
	}
	// Version 2's unanimity now applies to the migrated case.
	moved = fire(t, moved, 422, "pass", deliberationData(10, 8, 6))
	moved = fire(t, moved, 200, "pass", deliberationData(10, 8, 8))
	assertState(t, moved, "notice")
}
