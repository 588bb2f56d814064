package store_test

import (
	"strings"
	"testing"
)

// testAttachmentReaders checks who may read an attachment: its uploader at
// once; after a submission of a case uses it, whoever may see the case;
// nobody else, before or after.
func testAttachmentReaders(t *testing.T, f *fixture) {
	id := strings.Repeat("ab", 32)
	cadre := cadreOf(taoyuan)
	mayRead := func(t *testing.T, user string, want bool) {
		t.Helper()
		got, err := f.svc.MayReadAttachment(f.ctx, f.user(t, user), id)
		if err != nil || got != want {
			t.Errorf("%s may read the attachment: %v, %v; want %v", user, got, err, want)
		}
	}
	events := f.eventCount(t)
	if err := f.svc.AttachmentUploaded(f.ctx, f.user(t, cadre), id); err != nil {
		t.Fatal(err)
	}
	if e := f.lastEvent(t); f.eventCount(t) != events+1 || e.Kind != "upload_attachment" || e.Object != "attachment:"+id || e.Actor != cadre {
		t.Errorf("the upload appended %d events, the last %+v; want one upload_attachment by %s", f.eventCount(t)-events, e, cadre)
	}
	if err := f.svc.AttachmentUploaded(f.ctx, f.user(t, cadre), id); err != nil {
		t.Fatalf("recording the same upload twice: %v", err)
	}
	if f.eventCount(t) != events+1 {
		t.Errorf("recording the same upload twice appended another event")
	}
	mayRead(t, cadre, true)
	mayRead(t, cadreOf(liuwan), false)
	mayRead(t, townshipOf(taoyuan), false)

	// 东山镇 adds a photo of the house to its 入户核实表.
	f.publish(t, "id: household_verification_dongshan\nextends: household_verification\nlocality: \"510100001000\"\n"+
		"fields:\n  - {name: house_photo, type: photo, label: 房屋照片}\n")
	c := f.moveTo(t, f.newCase(t, taoyuan), "verification")
	h, err := f.svc.Household(f.ctx, f.user(t, cadre), c.HouseholdID)
	if err != nil {
		t.Fatal(err)
	}
	data := verificationData(h)
	data["house_photo"] = map[string]any{"id": id, "name": "房屋.png", "type": "image/png", "size": 100, "sha256": id}
	f.fire(t, cadre, c, "confirm", data)

	mayRead(t, cadre, true)
	mayRead(t, townshipOf(taoyuan), true)
	mayRead(t, "county1", true)
	mayRead(t, cadreOf(liuwan), false)
	mayRead(t, townshipOf(qingsong), false)
	if got, err := f.svc.MayReadAttachment(f.ctx, f.user(t, "county1"), strings.Repeat("cd", 32)); err != nil || got {
		t.Errorf("an unknown attachment is readable: %v, %v", got, err)
	}
}
