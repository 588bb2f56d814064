package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"jianfu/ent"
	"jianfu/ent/task"
	"jianfu/ent/user"
	"jianfu/workflows"
)

// seedDemoCases puts a few identification cases at every step, so each demo
// user's inbox has something in it on first sign-in: applications waiting in
// 桃园村 and 青松村, one case in 入户核实 in 柳湾村, one notice running, one
// waiting for the township's joint review with its department checks, and one
// waiting for the county's decision with its comparisons.
func (s *Service) seedDemoCases(ctx context.Context) error {
	plan := []struct {
		village string
		nth     int // which household of the village
		steps   int // how many steps to take after starting
	}{
		{"510100001001", 0, 0}, {"510100001001", 1, 0}, {"510100001001", 2, 0},
		{"510100001001", 3, 3}, // 公示
		{"510100001001", 4, 4}, // 乡镇联合审核
		{"510100001002", 0, 1}, // 入户核实
		{"510100002001", 0, 0},
		{"510100002001", 1, 5}, // 县级审定
	}
	for _, p := range plan {
		if err := s.seedDemoCase(ctx, p.village, p.nth, p.steps); err != nil {
			return fmt.Errorf("demo case in %s: %w", p.village, err)
		}
	}
	return nil
}

// demoActors is who acts at each step of the identification, per village.
func demoActors(village string) []string {
	cadre := map[string]string{"510100001001": "village11", "510100001002": "village12", "510100002001": "village21"}[village]
	town := map[string]string{"510100001": "town1", "510100002": "town2"}[village[:9]]
	return []string{cadre, cadre, cadre, cadre, town, "county1"}
}

func (s *Service) seedDemoCase(ctx context.Context, village string, nth, steps int) error {
	actors := demoActors(village)
	starter, err := s.userNamed(ctx, actors[0])
	if err != nil {
		return err
	}
	hs, err := s.Households(ctx, starter, "", nth+1)
	if err != nil {
		return err
	}
	var mine []workflows.Household
	for _, h := range hs {
		if h.Locality == village {
			mine = append(mine, h)
		}
	}
	if len(mine) <= nth {
		return fmt.Errorf("village %s has only %d households", village, len(mine))
	}
	h, err := s.Household(ctx, starter, mine[nth].ID)
	if err != nil {
		return err
	}
	// The cases are seeded in the past, as if begun a month ago, so notices
	// have run their five working days by the time they end.
	real := s.now()
	at := func(days int) *Service {
		past := *s
		past.now = func() time.Time { return real.AddDate(0, 0, days) }
		return &past
	}
	c, err := at(-30).StartCase(ctx, starter, "identification", h.ID)
	if err != nil {
		return err
	}
	day := func(days int) string { return real.AddDate(0, 0, days).Format("2006-01-02") }
	fires := []struct {
		trigger string
		days    int
		data    map[string]any
	}{
		{"submit", -30, demoApplication(h, day(-30))},
		{"confirm", -29, demoVerification(h, day(-29))},
		{"pass", -28, map[string]any{"meeting_type": "村民代表会议", "date": day(-28), "invited": 15, "attended": 12,
			"yes": 11, "no": 1, "abstain": 0, "outcome": "通过", "recorder": "村文书"}},
		{"no_objection", -10, map[string]any{"level": "village", "start": day(-28), "days": 5, "working_days": true,
			"place": "村务公开栏", "objections": false}},
		{"approve", -5, map[string]any{"opinion": "同意", "reviewer": "乡镇工作专班", "date": day(-5)}},
	}
	for i := range steps {
		f := fires[i]
		if f.trigger == "approve" {
			if err := s.completeDemoChecks(ctx, at(f.days-1), c.ID, day(f.days-1)); err != nil {
				return err
			}
		}
		actor, err := s.userNamed(ctx, actors[i])
		if err != nil {
			return err
		}
		fired, err := at(f.days).Fire(ctx, actor, c.ID, f.trigger, f.data, c.Version)
		if err != nil {
			return fmt.Errorf("%s: %w", f.trigger, err)
		}
		c.Version = fired.Version
	}
	return nil
}

// completeDemoChecks completes every open department task of a case as the
// department's liaison.
func (s *Service) completeDemoChecks(ctx context.Context, sv *Service, caseID int, date string) error {
	// In id order, like the liaison below, so the demo is the same on both
	// databases (rows a statement does not order come in physical order).
	tasks, err := s.client.Task.Query().Where(task.CaseID(caseID), task.Status(workflows.TaskOpen), task.DepartmentNEQ("")).
		Order(ent.Asc(task.FieldID)).All(ctx)
	if err != nil {
		return fmt.Errorf("department tasks of case %d: %w", caseID, err)
	}
	for _, t := range tasks {
		u, err := s.client.User.Query().Where(user.Department(t.Department)).Order(ent.Asc(user.FieldID)).First(ctx)
		if err != nil {
			return fmt.Errorf("liaison of %s: %w", t.Department, err)
		}
		data := map[string]any{"department": t.Department, "result": "无异常", "checked_by": u.Name, "date": date}
		if _, err := sv.CompleteTask(ctx, toUser(u), t.ID, data); err != nil {
			return fmt.Errorf("complete %s check: %w", t.Department, err)
		}
	}
	return nil
}

func (s *Service) userNamed(ctx context.Context, name string) (workflows.User, error) {
	u, err := s.client.User.Query().Where(user.Username(name)).Only(ctx)
	if err != nil {
		return workflows.User{}, fmt.Errorf("demo user %s: %w", name, err)
	}
	return toUser(u), nil
}

func demoApplication(h workflows.Household, date string) map[string]any {
	members := make([]any, len(h.Members))
	for i, m := range h.Members {
		members[i] = map[string]any{"name": m.Name, "id_card": m.IDNumber, "relation": m.Relation}
	}
	return map[string]any{
		"head_name": h.HeadName, "head_id": h.IDNumber, "phone": "1380000" + strconv.Itoa(1000+h.ID%9000),
		"members": members, "reason": "家庭成员患病住院，自付医疗费用较大，收入下降。", "channel": "干部代申请",
		"risks": []any{"因病"}, "promise": true, "authorize": []any{"assets", "economy", "medical"},
		"signed": true, "filled_by": "村防贫监测员", "date": date,
	}
}

func demoVerification(h workflows.Household, date string) map[string]any {
	members := make([]any, len(h.Members))
	for i, m := range h.Members {
		members[i] = map[string]any{"name": m.Name, "id_card": m.IDNumber, "relation": m.Relation,
			"gender": m.Gender, "age": demoAge(m.IDNumber, date), "health": "健康", "labour": "普通"}
	}
	return map[string]any{
		"township": demoLocalityName(h.Locality[:9] + "000"), "village": demoLocalityName(h.Locality), "head_name": h.HeadName, "head_id": h.IDNumber, "household_type": "一般农户",
		"members": members, "wage": 4200, "business": 800, "property": 0, "transfer": 1200,
		"production_cost": 300, "medical_selfpay": 2600, "housing_grade": "B",
		"water_quality": "ok", "water_quantity": "ok", "water_access": "ok", "water_supply": "ok",
		"risks": []any{"因病"}, "category": "边缘易致贫户",
		"checker1": "村防贫监测员", "checker2": "驻村工作队员", "head_signed": true, "visit_date": date,
	}
}

// demoAge is a person's age in whole years on a date (2006-01-02), from
// the 身份证号.
func demoAge(id, date string) int {
	on, _ := time.ParseInLocation(time.DateOnly, date, workflows.ChinaTime())
	age, _ := ageOn("", id, on)
	return age
}

func demoLocalityName(code string) string {
	for _, l := range demoLocalities {
		if l.code == code {
			return l.name
		}
	}
	return code
}
