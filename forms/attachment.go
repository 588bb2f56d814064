package forms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/expr-lang/expr/types"
)

// Attachment is the reference a photo, signature or file field stores: the
// content lives in an AttachmentStore, the submission keeps only this. ID
// is chosen by the store; SHA256 is the content's hex digest.
type Attachment struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// ErrAttachmentNotFound is returned by AttachmentStore.Get for an unknown id.
var ErrAttachmentNotFound = errors.New("attachment not found")

// AttachmentStore keeps the content of attachments. Implementations decide
// where (forms/attachments keeps files on disk; the database store keeps
// rows); forms only validates the references submissions carry.
type AttachmentStore interface {
	// Put stores content read to its end and returns its reference. name
	// and contentType are what the client declared; a store may correct
	// the type from the content. It returns an error wrapping
	// ErrAttachmentTooLarge when the content exceeds limit bytes (limit <=
	// 0: no limit), or the storage error.
	Put(ctx context.Context, name, contentType string, limit int64, content io.Reader) (Attachment, error)
	// Get opens the content of a stored attachment; the caller closes it.
	// It returns an error wrapping ErrAttachmentNotFound for an unknown id.
	Get(ctx context.Context, id string) (io.ReadCloser, error)
}

// ErrAttachmentTooLarge is returned by AttachmentStore.Put when the content
// exceeds the limit.
var ErrAttachmentTooLarge = errors.New("attachment too large")

// Value is the stored form of the reference: a JSON-like map, so stored
// submissions hold only strings, numbers, lists and maps.
func (a Attachment) Value() map[string]any {
	return map[string]any{"id": a.ID, "name": a.Name, "type": a.Type, "size": a.Size, "sha256": a.SHA256}
}

// exprValue is the reference as expressions see it: size is an int.
func (a Attachment) exprValue() map[string]any {
	return map[string]any{"id": a.ID, "name": a.Name, "type": a.Type, "size": int(a.Size), "sha256": a.SHA256}
}

// AttachmentFrom reads a reference from its stored form (also after a JSON
// round trip), from an Attachment, or from its JSON text (what a hidden
// input of an HTML form posts).
func AttachmentFrom(v any) (Attachment, bool) {
	switch a := v.(type) {
	case Attachment:
		return a, true
	case *Attachment:
		if a == nil {
			return Attachment{}, false
		}
		return *a, true
	case string:
		var out Attachment
		if err := json.Unmarshal([]byte(a), &out); err != nil {
			return Attachment{}, false
		}
		return out, true
	case map[string]any:
		var out Attachment
		var ok bool
		if out.ID, ok = a["id"].(string); !ok {
			return Attachment{}, false
		}
		out.Name, _ = a["name"].(string)
		out.Type, _ = a["type"].(string)
		out.SHA256, _ = a["sha256"].(string)
		if out.Size, ok = toInt64(a["size"]); !ok {
			return Attachment{}, false
		}
		return out, true
	}
	return Attachment{}, false
}

// attachmentType is the static type of an attachment in expressions.
func attachmentType() types.Map {
	return types.Map{"id": types.String, "name": types.String, "type": types.String,
		"size": types.Int, "sha256": types.String}
}

// Limits of attachments when the field sets none. SVG is not accepted for
// signatures by default: it can carry scripts.
const (
	defaultPhotoSize     = 10 << 20
	defaultSignatureSize = 1 << 20
	defaultFileSize      = 20 << 20
	maxAttachmentID      = 128
	maxAttachmentName    = 255
)

// accepted returns the field's accepted types, or the type's defaults.
func (f *Field) accepted() []string {
	if len(f.Accept) > 0 {
		return f.Accept
	}
	switch f.Type {
	case TypePhoto:
		return []string{"image/jpeg", "image/png", "image/webp"}
	case TypeSignature:
		return []string{"image/png", "image/jpeg"}
	}
	return nil
}

// maxSize returns the field's size limit in bytes, or the type's default.
func (f *Field) maxSize() int64 {
	if f.MaxSize > 0 {
		return f.MaxSize
	}
	switch f.Type {
	case TypePhoto:
		return defaultPhotoSize
	case TypeSignature:
		return defaultSignatureSize
	}
	return defaultFileSize
}

// normalizeAttachment checks a reference: complete, a plausible digest,
// within the field's size and type limits. An empty object is no value.
func (f *Field) normalizeAttachment(raw any) (any, string) {
	if s, ok := raw.(string); ok && strings.TrimSpace(s) == "" {
		return nil, ""
	}
	if m, ok := raw.(map[string]any); ok && len(m) == 0 {
		return nil, ""
	}
	a, ok := AttachmentFrom(raw)
	if !ok {
		return nil, msgAttachment
	}
	a.ID, a.Name, a.Type = strings.TrimSpace(a.ID), strings.TrimSpace(a.Name), strings.ToLower(strings.TrimSpace(a.Type))
	a.SHA256 = strings.ToLower(a.SHA256)
	switch {
	case a.ID == "" || len(a.ID) > maxAttachmentID || a.Name == "" || len(a.Name) > maxAttachmentName:
		return nil, msgAttachment
	case !isSHA256(a.SHA256) || a.Size <= 0:
		return nil, msgAttachment
	case a.Size > f.maxSize():
		return nil, fmt.Sprintf("附件过大（最大%s）", byteSize(f.maxSize()))
	case !f.accepts(a):
		return nil, "附件类型不符合要求（可用：" + strings.Join(f.accepted(), "、") + "）"
	}
	return a.Value(), ""
}

// accepts matches the declared type against "image/*", "image/png" and the
// name against ".pdf" entries.
func (f *Field) accepts(a Attachment) bool {
	list := f.accepted()
	if len(list) == 0 {
		return true
	}
	ext := strings.ToLower(path.Ext(a.Name))
	for _, acc := range list {
		switch {
		case strings.HasPrefix(acc, "."):
			if ext == acc {
				return true
			}
		case strings.HasSuffix(acc, "/*"):
			if strings.HasPrefix(a.Type, strings.TrimSuffix(acc, "*")) {
				return true
			}
		case a.Type == acc:
			return true
		}
	}
	return false
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// byteSize writes a size for a message: 10MB, 512KB, 100B.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

// parseByteSize reads max_size: a number of bytes or "5MB", "500KB".
func parseByteSize(s string) (int64, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	unit := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"MB", 1 << 20}, {"KB", 1 << 10}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, unit = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	if s == "" || len(s) > 9 || !allDigits(s) {
		return 0, false
	}
	var n int64
	for _, r := range s {
		n = n*10 + int64(r-'0')
	}
	return n * unit, n > 0
}

// validAccept reports whether an accept entry is a MIME type, a MIME
// family "image/*" or an extension ".pdf".
func validAccept(s string) bool {
	if strings.HasPrefix(s, ".") {
		return len(s) > 1 && !strings.ContainsAny(s[1:], "./\\ ")
	}
	major, minor, ok := strings.Cut(s, "/")
	return ok && major != "" && minor != "" && !strings.ContainsAny(s, " ,;") && !strings.Contains(minor, "/")
}
