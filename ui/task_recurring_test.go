package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"jianfu/forms"
	"jianfu/forms/attachments"
)

// pngBytes is the start of a PNG file: enough for content sniffing.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")

// upload is one file part of a multipart post.
type upload struct {
	field, name, contentType string
	content                  []byte
}

// postMultipart posts values and files as multipart/form-data, signed in
// as user.
func (ts *testServer) postMultipart(t *testing.T, target, user string, values url.Values, files ...upload) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatalf("write field %s: %v", k, err)
			}
		}
	}
	for _, f := range files {
		h := make(map[string][]string)
		h["Content-Disposition"] = []string{`form-data; name="` + f.field + `"; filename="` + f.name + `"`}
		h["Content-Type"] = []string{f.contentType}
		part, err := w.CreatePart(h)
		if err != nil {
			t.Fatalf("create part %s: %v", f.field, err)
		}
		part.Write(f.content)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("close multipart body: %v", err)
	}
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "tok-" + user})
	rec := httptest.NewRecorder()
	ts.handler.ServeHTTP(rec, req)
	return rec
}

func TestRecurringTask(t *testing.T) {
	t.Run("InboxLinksToTaskForm", func(t *testing.T) {
		ts := newTestServer(t)
		body := ts.browse("GET", "/tasks", "cun", nil).Body.String()
		for _, want := range []string{`href="/tasks/9"`, "定期任务", `href="/cases/1"`, "已超期", "已提级至乡镇"} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %q in the inbox, got %s", want, body)
			}
		}
	})
	t.Run("EscalatedTaskShowsInLevelAbove", func(t *testing.T) {
		ts := newTestServer(t)
		body := ts.browse("GET", "/tasks", "xiang", nil).Body.String()
		if !strings.Contains(body, `href="/cases/1"`) || !strings.Contains(body, "已提级至乡镇") {
			t.Errorf("expected the escalated task with its badge in the township inbox, got %s", body)
		}
	})
	t.Run("UploadIsStoredAndReferencePassedToCompleteTask", func(t *testing.T) {
		var store *attachments.Disk
		ts := newTestServer(t, withAttachments(t, &store))
		rec := ts.postMultipart(t, "/tasks/9", "cun",
			url.Values{"income_changed": {"true"}, "note": {"家中收入有变化"}},
			upload{field: "house_photo", name: "房屋.png", contentType: "image/png", content: pngBytes})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("expected 303 after completing, got %d: %s", rec.Code, rec.Body)
		}
		if len(ts.svc.completed) != 1 {
			t.Fatalf("expected one CompleteTask call, got %d", len(ts.svc.completed))
		}
		data := ts.svc.completed[0]
		if data["note"] != "家中收入有变化" || data["income_changed"] != true {
			t.Errorf("expected the group's fields flat in the data, got %v", data)
		}
		ref, ok := forms.AttachmentFrom(data["house_photo"])
		sum := sha256.Sum256(pngBytes)
		if !ok || ref.SHA256 != hex.EncodeToString(sum[:]) || ref.Name != "房屋.png" || ref.Size != int64(len(pngBytes)) || ref.Type != "image/png" {
			t.Fatalf("expected the stored reference of 房屋.png, got %v", data["house_photo"])
		}
		stored, err := store.Get(t.Context(), ref.ID)
		if err != nil {
			t.Fatalf("expected the upload in the store: %v", err)
		}
		defer stored.Close()
		if got, _ := io.ReadAll(stored); !bytes.Equal(got, pngBytes) {
			t.Errorf("expected the stored content to be the upload, got %d bytes", len(got))
		}
	})
	t.Run("UploadOverMaxSizeIsFieldError", func(t *testing.T) {
		ts := newTestServer(t, withAttachments(t, nil))
		rec := ts.postMultipart(t, "/tasks/9", "cun", url.Values{"note": {"x"}},
			upload{field: "house_photo", name: "big.png", contentType: "image/png", content: bytes.Repeat([]byte("a"), 2048)})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "附件过大（最大1KB）") {
			t.Fatalf("expected 422 with 附件过大（最大1KB）, got %d: %s", rec.Code, body)
		}
		if len(ts.svc.completed) != 0 {
			t.Errorf("expected nothing completed")
		}
		if !strings.Contains(body, `value="x"`) && !strings.Contains(body, ">x</textarea>") {
			t.Errorf("expected the typed values kept, got %s", body)
		}
	})
	t.Run("RefusedFormKeepsUploadedReference", func(t *testing.T) {
		ts := newTestServer(t, withAttachments(t, nil))
		rec := ts.postMultipart(t, "/tasks/9", "cun", url.Values{},
			upload{field: "house_photo", name: "house.png", contentType: "image/png", content: pngBytes})
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("expected 422 for the missing note, got %d: %s", rec.Code, body)
		}
		for _, want := range []string{"已上传：", "house.png", `type="hidden" name="house_photo"`, `href="/attachments/`} {
			if !strings.Contains(body, want) {
				t.Errorf("expected %q so the photo need not be sent again, got %s", want, body)
			}
		}
		// The uploader may open what they uploaded before submitting it.
		_, link, _ := strings.Cut(body, `href="/attachments/`)
		id, _, _ := strings.Cut(link, `"`)
		if rec := ts.browse("GET", "/attachments/"+id, "cun", nil); rec.Code != http.StatusOK {
			t.Errorf("the uploader opening attachment %s: %d, want 200", id, rec.Code)
		}
	})
	t.Run("WithoutStoreFieldSaysSo", func(t *testing.T) {
		ts := newTestServer(t)
		body := ts.browse("GET", "/tasks/9", "cun", nil).Body.String()
		if !strings.Contains(body, "未配置附件存储") || strings.Contains(body, `type="file"`) {
			t.Errorf("expected 未配置附件存储 instead of a file input, got %s", body)
		}
		if strings.Contains(body, "multipart") {
			t.Errorf("expected a plain form without a file input, got %s", body)
		}
	})
}

func TestAttachmentShow(t *testing.T) {
	var store *attachments.Disk
	ts := newTestServer(t, withAttachments(t, &store))
	png, err := store.Put(t.Context(), "a.png", "image/png", 0, bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatalf("put png: %v", err)
	}
	page, err := store.Put(t.Context(), "x.html", "text/html", 0, strings.NewReader("<html><script>alert(1)</script></html>"))
	if err != nil {
		t.Fatalf("put html: %v", err)
	}
	// cun uploaded both; xiang may read the image (say, through a case),
	// gongan neither.
	for _, id := range []string{png.ID, page.ID} {
		ts.svc.AttachmentUploaded(t.Context(), ts.svc.users["cun"], id)
	}
	ts.svc.AttachmentUploaded(t.Context(), ts.svc.users["xiang"], png.ID)
	tests := []struct {
		name, url, user string
		status          int
		contentType     string
		disposition     string
	}{
		{"ImageServedWithItsType", "/attachments/" + png.ID, "cun", 200, "image/png", ""},
		{"ServedToAnotherWhoMayRead", "/attachments/" + png.ID, "xiang", 200, "image/png", ""},
		{"HiddenFromWhoMayNot", "/attachments/" + png.ID, "gongan", 404, "", ""},
		{"HTMLIsOnlyADownload", "/attachments/" + page.ID, "cun", 200, "application/octet-stream", "attachment"},
		{"UnknownIs404", "/attachments/" + strings.Repeat("0", 64), "cun", 404, "", ""},
		{"PathIsNotAnID", "/attachments/..%2F..%2Fetc%2Fpasswd", "cun", 404, "", ""},
		{"AnonymousIsSentToLogin", "/attachments/" + png.ID, "", 303, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.browse("GET", tt.url, tt.user, nil)
			if rec.Code != tt.status {
				t.Fatalf("expected %d, got %d: %s", tt.status, rec.Code, rec.Body)
			}
			if tt.status != 200 {
				return
			}
			h := rec.Header()
			if h.Get("Content-Type") != tt.contentType || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("expected %s with nosniff, got %q, %q", tt.contentType, h.Get("Content-Type"), h.Get("X-Content-Type-Options"))
			}
			if h.Get("Content-Disposition") != tt.disposition {
				t.Errorf("expected Content-Disposition %q, got %q", tt.disposition, h.Get("Content-Disposition"))
			}
		})
	}
}
