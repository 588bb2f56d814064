package main

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"jianfu/ent"
	"jianfu/ent/storetest"
	"jianfu/ent/task"
	"jianfu/workflows"
)

// TestRefusedTaskPostStoresNoUpload: a cadre who may see a department task
// but not complete it posts its form with a file. The refusal should leave
// nothing behind: no stored upload record, no audit event.
func TestRefusedTaskPostStoresNoUpload(t *testing.T) {
	for _, db := range storetest.TestDatabases(t) {
		t.Run(db.Name, func(t *testing.T) {
			e := startE2E(t, db.DSN)
			// The county's department checks take a scanned certificate.
			e.must(t, http.StatusCreated, "admin", http.MethodPost, "/api/v1/definitions",
				"id: department_check_county\nextends: department_check\nlocality: \"510100000000\"\n"+
					"fields:\n  - {name: proof, type: file, label: 证明材料}\n")
			ctx := t.Context()
			client := e.app.DB.Client
			row, err := client.Task.Query().Where(task.Status(workflows.TaskOpen), task.DepartmentNEQ(""),
				task.LocalityPathHasPrefix("510100/001/001/")).Order(ent.Asc(task.FieldID)).First(ctx)
			if err != nil {
				t.Fatalf("an open department task in 桃园村 of the demo: %v", err)
			}
			refs, _ := client.AttachmentRef.Query().Count(ctx)
			events, _ := client.Event.Query().Count(ctx)

			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for k, v := range map[string]string{"department": row.Department, "result": "无异常", "checked_by": "张明", "date": "2026-03-12"} {
				_ = mw.WriteField(k, v)
			}
			fw, _ := mw.CreateFormFile("proof", "证明.pdf")
			_, _ = fw.Write([]byte("%PDF-1.4 probe"))
			_ = mw.Close()
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/tasks/"+strconv.Itoa(row.ID), &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.AddCookie(e.pageSession(t, "village11"))
			resp, err := noRedirect.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			refs2, _ := client.AttachmentRef.Query().Count(ctx)
			events2, _ := client.Event.Query().Count(ctx)
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("village11 completing a %s check: status %d, want 403", row.Department, resp.StatusCode)
			}
			if refs2 != refs || events2 != events {
				t.Errorf("the refused post left %d attachment_refs and %d events behind (want 0 and 0)", refs2-refs, events2-events)
			}
		})
	}
}

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// pageSession signs in through the login page and returns the session cookie.
func (e *e2e) pageSession(t *testing.T, user string) *http.Cookie {
	t.Helper()
	resp, err := noRedirect.PostForm(e.srv.URL+"/login", url.Values{"username": {user}, "password": {"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "jianfu_session" && !strings.HasPrefix(c.Value, " ") && c.Value != "" {
			return c
		}
	}
	t.Fatalf("login %s: status %d, no session cookie", user, resp.StatusCode)
	return nil
}
