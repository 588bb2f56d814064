package main

import (
	"os"
	"testing"

	"jianfu/ent/storetest"
)

// A county variant loaded only through POST /api/v1/definitions — steps
// reordered (deliberation before verification), the village notice replaced
// by a township notice of 7 calendar days, another quorum rule and income
// line — runs a case from start to final with the fake clock. No Go code
// knows the variant.
func TestCountyVariantEndToEnd(t *testing.T) {
	src, err := os.ReadFile("testdata/variants/identification_510100.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range storetest.TestDatabases(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := startE2E(t, db.DSN)
			runVariant(t, e, string(src))
		})
	}
}

func runVariant(t *testing.T, e *e2e, src string) {
	clock := func(t *testing.T, now string) {
		t.Helper()
		clear(e.tokens)
		e.must(t, 200, "admin", "POST", "/api/v1/admin/clock", map[string]string{"now": now})
	}
	clock(t, "2026-09-28T09:00:00+08:00")
	e.must(t, 403, "county1", "POST", "/api/v1/definitions", src)
	pub := e.must(t, 201, "admin", "POST", "/api/v1/definitions", src)
	if str(pub["id"]) != "identification_510100" || num(pub["version"]) != 1 {
		t.Fatalf("published %v, want identification_510100 version 1", pub)
	}

	e.idNums = append(e.idNums, headID, memberID)
	h := e.must(t, 201, "village11", "POST", "/api/v1/households", map[string]any{"head_name": "王建国",
		"id_number": headID, "locality": "510100001001"})
	// The cadre asks for the county's identification; the household's
	// locality picks the variant.
	c := e.must(t, 201, "village11", "POST", "/api/v1/cases", map[string]any{"workflow": "identification", "household_id": num(h["id"])})
	if str(c["workflow"]) != "identification_510100" {
		t.Fatalf("a household of county 510100 started %q, want the county variant", c["workflow"])
	}
	casePath := fmtPath("/api/v1/cases/%d", num(c["id"]))
	fire := func(t *testing.T, user string, want int, trigger string, data map[string]any) {
		t.Helper()
		c = e.must(t, want, user, "POST", casePath+"/fire", map[string]any{"trigger": trigger, "data": data, "version": num(c["version"])})
		if want != 200 {
			c = e.must(t, 200, "county1", "GET", casePath, nil)
		}
	}

	fire(t, "village11", 200, "submit", applicationData())
	assertState(t, c, "deliberation") // reordered: deliberation comes before verification
	t.Run("VariantQuorumNotReached", func(t *testing.T) {
		fire(t, "village11", 422, "pass", deliberationData(10, 5, 5)) // half attended: not more than half
		assertState(t, c, "deliberation")
	})
	// 6 of 10 attended and 4 of 6 voted yes: the base rule (two thirds
	// attend) would refuse it, the county's passes it.
	fire(t, "village11", 200, "pass", deliberationData(10, 6, 4))
	assertState(t, c, "verification")

	t.Run("AboveCountyIncomeLine", func(t *testing.T) {
		fire(t, "village11", 422, "confirm", verificationWithPerCapita(7600))
		assertState(t, c, "verification")
	})
	// 7200 is above the base line of 7000 and below the county's 2026 line.
	fire(t, "village11", 200, "confirm", verificationWithPerCapita(7200))
	assertState(t, c, "township_notice")

	t.Run("TownshipNoticeHoldNotOver", func(t *testing.T) {
		clock(t, "2026-10-02T10:00:00+08:00") // 4 calendar days (holidays count)
		fire(t, "town1", 409, "no_objection", noticeData())
		assertState(t, c, "township_notice")
	})
	clock(t, "2026-10-06T09:00:00+08:00")
	fire(t, "town1", 200, "no_objection", noticeData())
	assertState(t, c, "township_review")

	id := num(c["id"])
	completeDepartments(t, e, id, []string{"education", "housing", "water", "health"}, departmentCheckData)
	fire(t, "town1", 200, "approve", map[string]any{"opinion": "同意", "reviewer": "李干事", "date": "2026-10-06"})
	completeDepartments(t, e, id, []string{"public_security", "civil_affairs", "finance", "natural_resources",
		"market_regulation", "tax"}, assetComparisonData)
	fire(t, "county1", 200, "approve", map[string]any{"decision": "纳入", "category": "突发严重困难户",
		"approval_no": "示乡振〔2026〕20号", "date": "2026-10-07"})
	assertState(t, c, "included")
	assertHistory(t, c, []string{"application", "deliberation", "verification", "township_notice",
		"township_review", "county_decision", "included"})
}

// verificationWithPerCapita is the verification data of a household of
// two whose per-capita net income comes to perCapita yuan.
func verificationWithPerCapita(perCapita float64) map[string]any {
	d := verificationData()
	// net = wage + 1000.50 + 0 + 2400 - 200 - 1500, per capita = net / 2
	d["wage"] = perCapita*2 - 1000.50 - 2400 + 200 + 1500
	return d
}

var liaisonOf = map[string]string{
	"education": "liaison-jiaoyu", "housing": "liaison-zhujian", "water": "liaison-shuili", "health": "liaison-weijian",
	"public_security": "liaison-gongan", "civil_affairs": "liaison-minzheng", "finance": "liaison-caizheng",
	"natural_resources": "liaison-ziranziyuan", "market_regulation": "liaison-shichang", "tax": "liaison-shuiwu",
}

func completeDepartments(t *testing.T, e *e2e, caseID int, depts []string, data func(string) map[string]any) {
	t.Helper()
	for _, d := range depts {
		task := e.taskOf(t, liaisonOf[d], caseID, d)
		e.must(t, 200, liaisonOf[d], "POST", fmtPath("/api/v1/tasks/%d/complete", task), map[string]any{"data": data(d)})
	}
}
