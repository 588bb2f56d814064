package workflows

import (
	"strings"
	"testing"
	"time"
)

func TestBlocked(t *testing.T) {
	d, e := identification(t)
	township := openTasks("education", "housing", "water", "health")
	county := openTasks("public_security", "civil_affairs", "finance", "natural_resources", "market_regulation", "tax")
	tests := []struct {
		name string
		s    Snapshot
		user string
		now  time.Time
		want string // trigger=reason;…
	}{
		{"HoldNotOver", snapshotAt(t, d, "notice"), "cun", at(t, "2026-10-10 12:00"),
			"no_objection=公示期未满5个工作日，2026-10-11 起方可办理"},
		{"HoldOver", snapshotAt(t, d, "notice"), "cun", at(t, "2026-10-11 00:00"), ""},
		{"JoinPending", withDone(snapshotAt(t, d, "township_review", township...), "education"), "xiang", at(t, "2026-10-12 09:00"),
			"approve=以下部门尚未完成：住建、水利、卫健"},
		{"JoinDone", withDone(snapshotAt(t, d, "township_review", township...)), "xiang", at(t, "2026-10-12 09:00"), ""},
		{"CountyJoinPending", snapshotAt(t, d, "county_decision", county...), "xian", at(t, "2026-10-12 09:00"),
			"approve=以下部门尚未完成：公安、民政、财政、自然资源、市场监管、税务"},
		// Only those who could fire it learn what it waits for.
		{"LiaisonNotTold", snapshotAt(t, d, "township_review", township...), "jiaoyu", at(t, "2026-10-12 09:00"), ""},
		{"OtherVillageNotTold", snapshotAt(t, d, "notice"), "other_cun", at(t, "2026-10-10 12:00"), ""},
		{"NothingWaits", snapshotAt(t, d, "deliberation"), "cun", at(t, "2026-10-12 09:00"), ""},
		{"FinalHasNone", snapshotAt(t, d, "not_included"), "admin", at(t, "2026-10-12 09:00"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			actor := User{Username: tt.user}
			blocked := e.Blocked(t.Context(), tt.s, actor, tt.now)
			var got []string
			for _, b := range blocked {
				got = append(got, b.Trigger+"="+b.Reason)
			}
			if strings.Join(got, ";") != tt.want {
				t.Errorf("Blocked = %v, want [%s]", got, tt.want)
			}
			// Offered and blocked together are what the actor may fire
			// in the state, each once.
			seen := map[string]int{}
			for _, a := range e.Actions(t.Context(), tt.s, actor, tt.now) {
				seen[a.Trigger]++
			}
			for _, b := range blocked {
				seen[b.Trigger]++
			}
			for _, tr := range d.States[tt.s.State].Triggers {
				want := 0
				if !d.States[tt.s.State].Final && e.Auth.MayFire(tt.user, d.ID, tt.s.State, tr.Name, tt.s.Locality) {
					want = 1
				}
				if seen[tr.Name] != want {
					t.Errorf("%s is offered or blocked %d times, want %d", tr.Name, seen[tr.Name], want)
				}
			}
		})
	}
	t.Run("CarriesTheAction", func(t *testing.T) {
		blocked := e.Blocked(t.Context(), snapshotAt(t, d, "township_review", township...), User{Username: "xiang"}, at(t, "2026-10-12 09:00"))
		want := Action{Trigger: "approve", Title: "审核通过，报县级审定", Form: "township_review", To: "county_decision"}
		if len(blocked) != 1 || blocked[0].Action != want {
			t.Errorf("Blocked = %+v, want one with %+v", blocked, want)
		}
	})
}
