package attachments

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jianfu/forms"
)

// pngHeader is enough of a PNG for content sniffing.
var pngHeader = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

func TestDisk(t *testing.T) {
	ctx := context.Background()
	store, err := NewDisk(filepath.Join(t.TempDir(), "att"))
	if err != nil {
		t.Fatal(err)
	}
	t.Run("PutThenGetReturnsContent", func(t *testing.T) {
		content := append(append([]byte(nil), pngHeader...), "签字"...)
		a, err := store.Put(ctx, `C:\scan\签字.png`, "image/png", 0, bytes.NewReader(content))
		if err != nil {
			t.Fatalf("Put: %v", err)
		}
		sum := sha256.Sum256(content)
		want := forms.Attachment{ID: hex.EncodeToString(sum[:]), Name: "签字.png", Type: "image/png",
			Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
		if a != want {
			t.Errorf("Put = %+v, want %+v", a, want)
		}
		rc, err := store.Get(ctx, a.ID)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		defer rc.Close()
		got, _ := io.ReadAll(rc)
		if !bytes.Equal(got, content) {
			t.Errorf("Get content = %q, want %q", got, content)
		}
	})
	t.Run("SameContentStoredOnce", func(t *testing.T) {
		a, _ := store.Put(ctx, "a.txt", "text/plain", 0, strings.NewReader("同一内容"))
		b, _ := store.Put(ctx, "b.txt", "text/plain", 0, strings.NewReader("同一内容"))
		if a.ID != b.ID || a.Name == b.Name {
			t.Errorf("ids %s / %s, names %s / %s: want one id, two names", a.ID, b.ID, a.Name, b.Name)
		}
	})
	t.Run("SniffedTypeWins", func(t *testing.T) {
		a, err := store.Put(ctx, "photo.jpg", "image/jpeg", 0, strings.NewReader("<html><script>alert(1)</script>"))
		if err != nil {
			t.Fatal(err)
		}
		if a.Type != "text/html" {
			t.Errorf("Type = %s, want text/html from the content, not the declared image/jpeg", a.Type)
		}
	})
	t.Run("DeclaredTypeForUnknownContent", func(t *testing.T) {
		a, _ := store.Put(ctx, "x.bin", "application/x-custom", 0, bytes.NewReader([]byte{0, 1, 2, 3}))
		if a.Type != "application/x-custom" {
			t.Errorf("Type = %s, want the declared application/x-custom", a.Type)
		}
	})
	t.Run("LimitEnforced", func(t *testing.T) {
		if _, err := store.Put(ctx, "big.bin", "", 4, strings.NewReader("12345")); !errors.Is(err, forms.ErrAttachmentTooLarge) {
			t.Errorf("Put over the limit: err = %v, want ErrAttachmentTooLarge", err)
		}
		if _, err := store.Put(ctx, "ok.bin", "", 5, strings.NewReader("12345")); err != nil {
			t.Errorf("Put at the limit: %v", err)
		}
		entries, _ := os.ReadDir(store.root)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".upload-") {
				t.Errorf("temporary file %s left behind", e.Name())
			}
		}
	})
	t.Run("UnknownIDNotFound", func(t *testing.T) {
		for _, id := range []string{strings.Repeat("0", 64), "../../etc/passwd", strings.Repeat("A", 64), ""} {
			if _, err := store.Get(ctx, id); !errors.Is(err, forms.ErrAttachmentNotFound) {
				t.Errorf("Get(%q) err = %v, want ErrAttachmentNotFound", id, err)
			}
		}
	})
	t.Run("ReferenceValidatesInForm", func(t *testing.T) {
		a, _ := store.Put(ctx, "house.png", "image/png", 0, bytes.NewReader(pngHeader))
		d, err := forms.Parse("p.yaml", []byte("id: p\ntitle: 照片\nfields:\n  - {name: house, type: photo, label: 房屋照片, required: true}\n"))
		if err != nil {
			t.Fatal(err)
		}
		if _, errs := d.Validate(map[string]any{"house": a.Value()}, nil); errs != nil {
			t.Errorf("the stored reference does not validate: %v", errs)
		}
	})
	t.Run("CancelledContext", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := store.Put(cctx, "a", "", 0, strings.NewReader("x")); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with a cancelled context: err = %v, want context.Canceled", err)
		}
	})
}
