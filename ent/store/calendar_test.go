package store_test

import (
	"strings"
	"testing"
	"time"

	"jianfu/workflows"
)

// testCalendarIsData: an administrator publishes a new holiday calendar as a
// definition; holds count on it at once and after a restart, and nobody
// else may publish one.
func testCalendarIsData(t *testing.T, f *fixture) {
	c := f.moveTo(t, f.newCase(t, "510100001001"), "notice") // entered Mon 2 March 2026
	// A local holiday on Wed 4 March moves the end of a five-working-day
	// notice from Sat 7 March 00:00 to Tue 10 March 00:00.
	src := strings.Replace(string(workflows.BuiltinCalendarSource()), "holidays:\n", "holidays:\n  - 2026-03-04   # 测试：地方性假日\n", 1)
	t.Run("OnlyAdministratorsPublish", func(t *testing.T) {
		_, err := f.svc.PublishDefinition(f.ctx, f.user(t, "county1"), []byte(src))
		wantCode(t, err, workflows.Forbidden)
	})
	t.Run("InvalidCalendarRefused", func(t *testing.T) {
		_, err := f.svc.PublishDefinition(f.ctx, f.user(t, "admin"), []byte("holidays:\n  - 2026-02-30\n"))
		wantCode(t, err, workflows.Invalid)
	})
	info, err := f.svc.PublishDefinition(f.ctx, f.user(t, "admin"), []byte(src))
	if err != nil || info.Kind != workflows.KindCalendar || info.Version < 2 {
		t.Fatalf("publish calendar: %+v, %v; want kind calendar, version ≥ 2", info, err)
	}
	f.restart(t) // the published calendar is what a new process counts on
	f.clock.Set(time.Date(2026, 3, 9, 10, 0, 0, 0, china))
	_, err = f.svc.Fire(f.ctx, f.user(t, "village11"), c.ID, "no_objection", noticeData(), c.Version)
	wantCode(t, err, workflows.Conflict)
	f.clock.Set(time.Date(2026, 3, 10, 8, 0, 0, 0, china))
	f.fire(t, "village11", c, "no_objection", noticeData())
}
