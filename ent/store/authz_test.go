package store_test

import (
	"testing"
	"time"

	"jianfu/ent/attachmentref"
	"jianfu/ent/store"
	"jianfu/roles"
	"jianfu/workflows"
)

// Suite tests of the rule "every mutation is authorized, validated, atomic
// and audited", from an audit of every route and Service mutation
// (session 7). All but ScopeRefusals failed before their fixes.

// photoForm adds a photo to the 入户核实表 county-wide, so that both
// townships' cases carry attachments.
const photoForm = "id: household_verification_county\nextends: household_verification\nlocality: \"510100000000\"\n" +
	"fields:\n  - {name: house_photo, type: photo, label: 房屋照片}\n"

// testAttachmentNeedsItsUploader: a photo of a 青松村 case must stay unreadable to
// the 桃园村 cadre even when they learn its id (it is the content's
// SHA-256 and appears in the link /attachments/<id>).
func testAttachmentNeedsItsUploader(t *testing.T, f *fixture) {
	f.publish(t, photoForm)
	const id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	photo := map[string]any{"id": id, "name": "身份证.png", "type": "image/png", "size": 100, "sha256": id}

	// 青松村's cadre uploads the photo and files it on their own case.
	if err := f.svc.AttachmentUploaded(f.ctx, f.user(t, "village21"), id); err != nil {
		t.Fatal(err)
	}
	theirs := f.moveTo(t, f.newCase(t, qingsong), "verification")
	h21, err := f.svc.Household(f.ctx, f.user(t, "village21"), theirs.HouseholdID)
	if err != nil {
		t.Fatal(err)
	}
	data := verificationData(h21)
	data["house_photo"] = photo
	f.fire(t, "village21", theirs, "confirm", data)
	if ok, err := f.svc.MayReadAttachment(f.ctx, f.user(t, "village11"), id); err != nil || ok {
		t.Fatalf("before: village11 may read 青松村's photo = %v, %v; want false", ok, err)
	}

	// 桃园村's cadre files the same reference on a case of their own.
	mine := f.moveTo(t, f.newCase(t, taoyuan), "verification")
	h11, err := f.svc.Household(f.ctx, f.user(t, "village11"), mine.HouseholdID)
	if err != nil {
		t.Fatal(err)
	}
	data = verificationData(h11)
	data["house_photo"] = photo
	_, fireErr := f.svc.Fire(f.ctx, f.user(t, "village11"), mine.ID, "confirm", data, mine.Version)
	ok, err := f.svc.MayReadAttachment(f.ctx, f.user(t, "village11"), id)
	if err != nil {
		t.Fatal(err)
	}
	if ok {
		n, _ := f.db.Client.AttachmentRef.Query().Where(attachmentref.AttachmentID(id)).Count(f.ctx)
		t.Errorf("village11 filed a reference to an attachment they never uploaded (Fire err = %v) and may now read "+
			"青松村's photo; attachment_refs for it: %d", fireErr, n)
	}
}

// testSchedulerIsAudited: the scheduler changes tasks (creates the monthly
// visit, escalates overdue tasks); each change should leave an event.
func testSchedulerIsAudited(t *testing.T, f *fixture) {
	c := f.moveTo(t, f.newCase(t, taoyuan), "verification")
	task, err := f.svc.Task(f.ctx, f.user(t, "village11"), f.roleTask(t, c))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Set(task.Due.Add(time.Hour))
	before := f.eventCount(t)
	_, escalated, err := f.svc.Schedule(f.ctx)
	if err != nil || escalated != 1 {
		t.Fatalf("Schedule: escalated %d, %v; want 1", escalated, err)
	}
	if got := f.eventCount(t) - before; got != 1 {
		t.Errorf("Schedule escalated task %d to the township and appended %d audit events; want one per change", task.ID, got)
	}
	read, err := f.svc.Case(f.ctx, f.user(t, "town1"), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := read.History[len(read.History)-1]
	if last.TriggerTitle != "超期提级" || last.Reason != "任务已超期，已提级至乡镇督办" || last.ActorName != "系统" || last.Role != "" ||
		read.Version != c.Version {
		t.Errorf("the case's history ends with %+v (case v%d); want 超期提级 by 系统, the case left at v%d", last, read.Version, c.Version)
	}
}

// secondCounty adds 另一县 (510200) with its administrator admin2.
func (f *fixture) secondCounty(t *testing.T) workflows.User {
	t.Helper()
	if err := f.svc.CreateLocalities(f.ctx, []store.NewLocality{
		{Code: "510200000000", Name: "另一县"}, {Code: "510200001000", Name: "另一镇"}, {Code: "510200001001", Name: "另一村"},
	}); err != nil {
		t.Fatal(err)
	}
	f.createUsers(t, store.NewUser{Username: "admin2", Name: "另一县管理员", Role: roles.Admin, Locality: "510200000000"})
	return f.user(t, "admin2")
}

// testVariantOnlyForOwnArea: an administrator of another county publishes
// a variant whose locality is 东山镇 of 示范县; every 东山镇 household's
// identification then runs on it.
func testVariantOnlyForOwnArea(t *testing.T, f *fixture) {
	admin2 := f.secondCounty(t)
	before := f.state(t)
	src := "id: identification_dongshan\nextends: identification\nlocality: \"510100001000\"\ntitle: 识别纳入（东山镇）\n"
	_, err := f.svc.PublishDefinition(f.ctx, admin2, []byte(src))
	if err == nil {
		c := f.newCase(t, taoyuan)
		t.Errorf("admin2 (另一县) published a variant for 东山镇 of 示范县; a 桃园村 case now starts %s", c.Workflow)
		return
	}
	wantCode(t, err, workflows.Forbidden)
	unchanged(t, before, f.state(t))
}

// testMigrationOnlyInOwnArea: an administrator of another county moves a
// case of 桃园村 to another workflow version.
func testMigrationOnlyInOwnArea(t *testing.T, f *fixture) {
	c := f.moveTo(t, f.newCase(t, taoyuan), "deliberation")
	f.publish(t, string(identificationRoleChanged(t)))
	admin2 := f.secondCounty(t)
	before := f.state(t)
	r, err := f.svc.MigrateCases(f.ctx, admin2, workflows.Migration{Workflow: "identification", ToVersion: 2, CaseIDs: []int{c.ID}})
	if err == nil {
		t.Errorf("admin2 (另一县) migrated 桃园村's case %d: %+v", c.ID, r.Cases)
		return
	}
	wantCode(t, err, workflows.Forbidden)
	unchanged(t, before, f.state(t))
}

// testOperatorToolsAreAudited: accounts and localities are created through
// CreateUsers and CreateLocalities; do they leave events?
func testOperatorToolsAreAudited(t *testing.T, f *fixture) {
	before := f.eventCount(t)
	f.secondCounty(t)
	if got := f.eventCount(t) - before; got == 0 {
		t.Errorf("CreateLocalities and CreateUsers (a new administrator) appended %d audit events", got)
	}
}

// testScopeRefusals: the refusals the brief names, each leaving the
// database as it was. These are expected to pass.
func testScopeRefusals(t *testing.T, f *fixture) {
	theirs := f.newCase(t, qingsong)
	review := f.moveTo(t, f.newCase(t, qingsong), "township_review")
	var education int
	for _, row := range f.openDepartmentTasks(t, review.ID) {
		if row.Department == "education" {
			education = row.ID
		}
	}
	h21, err := f.svc.Household(f.ctx, f.user(t, "village21"), theirs.HouseholdID)
	if err != nil {
		t.Fatal(err)
	}
	ill := f.newHousehold(t, taoyuan)
	medical := csvList(medicalRow(ill.HeadName, ill.IDNumber, "2026-02-01", "2026-02-12"))
	tests := []struct {
		name string
		want workflows.Code
		do   func() error
	}{
		{"VillageFiresOnOtherTownshipsCase", workflows.Forbidden, func() error {
			_, err := f.svc.Fire(f.ctx, f.user(t, "village11"), theirs.ID, "submit", applicationData(h21), theirs.Version)
			return err
		}},
		{"TownshipFiresOnOtherTownshipsCase", workflows.Forbidden, func() error {
			_, err := f.svc.Fire(f.ctx, f.user(t, "town1"), review.ID, "approve", reviewData(), review.Version)
			return err
		}},
		{"VillageCompletesDepartmentTask", workflows.Forbidden, func() error {
			_, err := f.svc.CompleteTask(f.ctx, f.user(t, "village11"), education, departmentCheckData("education"))
			return err
		}},
		{"LiaisonCompletesOtherDepartmentsTask", workflows.Forbidden, func() error {
			_, err := f.svc.CompleteTask(f.ctx, f.user(t, "liaison-minzheng"), education, departmentCheckData("education"))
			return err
		}},
		{"LiaisonSeesOtherDepartmentsTask", workflows.Forbidden, func() error {
			_, err := f.svc.Task(f.ctx, f.user(t, "liaison-gongan"), education)
			return err
		}},
		{"VillageStartsOnOtherTownshipsHousehold", workflows.Forbidden, func() error {
			_, err := f.svc.StartCase(f.ctx, f.user(t, "village11"), "seven_step", theirs.HouseholdID)
			return err
		}},
		{"VillageReadsOtherTownshipsCaseAndDrafts", workflows.Forbidden, func() error {
			_, err := f.svc.Case(f.ctx, f.user(t, "village11"), review.ID)
			return err
		}},
		{"VillageReadsOtherTownshipsSubmissions", workflows.Forbidden, func() error {
			_, err := f.svc.Submissions(f.ctx, f.user(t, "village11"), review.ID)
			return err
		}},
		{"TownshipPublishes", workflows.Forbidden, func() error {
			_, err := f.svc.PublishDefinition(f.ctx, f.user(t, "town1"), []byte("id: x\ntitle: x\n"))
			return err
		}},
		{"LiaisonPublishes", workflows.Forbidden, func() error {
			_, err := f.svc.PublishDefinition(f.ctx, f.user(t, "liaison-gongan"), []byte("id: x\ntitle: x\n"))
			return err
		}},
		{"CountyCadreMigrates", workflows.Forbidden, func() error {
			_, err := f.svc.MigrateCases(f.ctx, f.user(t, "county1"), workflows.Migration{Workflow: "identification", ToVersion: 1})
			return err
		}},
		{"LiaisonRegistersHousehold", workflows.Forbidden, func() error {
			_, err := f.svc.CreateHousehold(f.ctx, f.user(t, "liaison-gongan"),
				workflows.Household{HeadName: "欧阳未登", IDNumber: testID(1980, 998), Locality: taoyuan})
			return err
		}},
		{"PublicSecurityUploadsMedicalList", workflows.Invalid, func() error {
			_, err := f.svc.ImportList(f.ctx, f.user(t, "liaison-gongan"), workflows.ListUpload{Workflow: "department_warning",
				Period: "2026-02", Content: medical}, nil)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.state(t)
			wantCode(t, tt.do(), tt.want)
			unchanged(t, before, f.state(t))
		})
	}
}
