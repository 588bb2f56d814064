// Package attachments keeps the content of form attachments (photos,
// signatures, files) on disk, content-addressed by SHA-256 under one root
// directory: the same photo uploaded twice is stored once, and a reference
// cannot be pointed at other content. It implements forms.AttachmentStore
// and must never import anything that knows SQL or serves HTTP.
package attachments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"jianfu/forms"
)

// sniffLen is how much content http.DetectContentType looks at.
const sniffLen = 512

// Disk stores attachments as files root/ab/abcdef… named by their SHA-256.
type Disk struct {
	root string
}

var _ forms.AttachmentStore = (*Disk)(nil)

// NewDisk returns a store under root, creating the directory if needed.
func NewDisk(root string) (*Disk, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("create attachment root %s: %w", root, err)
	}
	return &Disk{root: root}, nil
}

// Put writes content to a temporary file while hashing it, then renames it
// to its digest, so a reader never sees a half-written attachment. The
// returned ID is the digest. The type is sniffed from the content when it
// can be recognised; a client's claim that a script is a photo is not kept.
func (d *Disk) Put(ctx context.Context, name, contentType string, limit int64, content io.Reader) (forms.Attachment, error) {
	if err := ctx.Err(); err != nil {
		return forms.Attachment{}, err
	}
	tmp, err := os.CreateTemp(d.root, ".upload-*")
	if err != nil {
		return forms.Attachment{}, fmt.Errorf("create temporary file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	defer tmp.Close()

	hash := sha256.New()
	head := &prefix{max: sniffLen}
	src := content
	if limit > 0 {
		// One byte more than allowed tells "exactly at the limit" from "over".
		src = io.LimitReader(content, limit+1)
	}
	size, err := io.Copy(io.MultiWriter(tmp, hash, head), src)
	if err != nil {
		return forms.Attachment{}, fmt.Errorf("write attachment %s: %w", name, err)
	}
	if limit > 0 && size > limit {
		return forms.Attachment{}, fmt.Errorf("attachment %s over %d bytes: %w", name, limit, forms.ErrAttachmentTooLarge)
	}
	if err := tmp.Sync(); err != nil {
		return forms.Attachment{}, fmt.Errorf("sync attachment %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return forms.Attachment{}, fmt.Errorf("close attachment %s: %w", name, err)
	}
	digest := hex.EncodeToString(hash.Sum(nil))
	dst := d.path(digest)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return forms.Attachment{}, fmt.Errorf("create attachment directory: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return forms.Attachment{}, fmt.Errorf("store attachment %s: %w", digest, err)
	}
	return forms.Attachment{
		ID: digest, Name: filepath.Base(strings.ReplaceAll(name, "\\", "/")),
		Type: contentTypeOf(head.buf, contentType), Size: size, SHA256: digest,
	}, nil
}

// Get opens the content stored under id, a SHA-256 digest.
func (d *Disk) Get(ctx context.Context, id string) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !isDigest(id) {
		// Refusing anything but a digest keeps ids from walking the tree.
		return nil, fmt.Errorf("attachment %q: %w", id, forms.ErrAttachmentNotFound)
	}
	f, err := os.Open(d.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("attachment %s: %w", id, forms.ErrAttachmentNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open attachment %s: %w", id, err)
	}
	return f, nil
}

func (d *Disk) path(digest string) string {
	return filepath.Join(d.root, digest[:2], digest)
}

func isDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// contentTypeOf prefers what the content shows over what the client said,
// unless the content is not recognised.
func contentTypeOf(head []byte, declared string) string {
	sniffed, _, _ := strings.Cut(http.DetectContentType(head), ";")
	declared = strings.ToLower(strings.TrimSpace(declared))
	if sniffed == "application/octet-stream" || sniffed == "text/plain" && declared != "" && !strings.HasPrefix(declared, "image/") {
		if declared == "" {
			return sniffed
		}
		return declared
	}
	return sniffed
}

// prefix keeps the first max bytes written to it.
type prefix struct {
	buf []byte
	max int
}

func (p *prefix) Write(b []byte) (int, error) {
	if room := p.max - len(p.buf); room > 0 {
		p.buf = append(p.buf, b[:min(room, len(b))]...)
	}
	return len(b), nil
}
