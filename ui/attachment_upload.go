package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
)

// This file stores the files of a multipart form post. Each file posted for
// an attachment field goes to the attachment store, and the field's posted
// value becomes the reference the store returned, so the form decodes,
// validates and redraws it like any other value.

// storeUploads stores the files posted for def's attachment fields and
// puts their references into posted. A file that cannot be taken (too
// large, no store configured) is a field error, not a failure.
func (s *server) storeUploads(c echo.Context, def *forms.Definition, posted url.Values) (forms.FieldErrors, error) {
	mf := c.Request().MultipartForm
	if mf == nil || def == nil {
		return nil, nil
	}
	// Sorted, so the errors come in the same order on every post.
	names := make([]string, 0, len(mf.File))
	for name := range mf.File {
		names = append(names, name)
	}
	slices.Sort(names)
	var errs forms.FieldErrors
	for _, name := range names {
		f := def.Field(name)
		files := mf.File[name]
		if f == nil || !isAttachmentField(f) || len(files) == 0 || files[0].Filename == "" {
			continue // not a file field, or its input was left empty
		}
		if s.attachments == nil {
			errs = append(errs, forms.FieldError{Field: name, Message: msgNoAttachmentStore})
			continue
		}
		ref, err := s.putUpload(c.Request().Context(), f, files[0])
		if errors.Is(err, forms.ErrAttachmentTooLarge) {
			errs = append(errs, forms.FieldError{Field: name, Message: "附件过大（最大" + byteSize(uploadLimit(f)) + "）"})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store attachment of %s: %w", name, err)
		}
		if err := s.svc.AttachmentUploaded(c.Request().Context(), currentUser(c), ref.ID); err != nil {
			return nil, fmt.Errorf("record attachment of %s: %w", name, err)
		}
		text, err := json.Marshal(ref)
		if err != nil {
			return nil, fmt.Errorf("encode attachment of %s: %w", name, err)
		}
		posted.Set(name, string(text))
	}
	return errs, nil
}

func (s *server) putUpload(ctx context.Context, f *forms.Field, fh *multipart.FileHeader) (forms.Attachment, error) {
	content, err := fh.Open()
	if err != nil {
		return forms.Attachment{}, fmt.Errorf("open upload %s: %w", fh.Filename, err)
	}
	defer content.Close()
	return s.attachments.Put(ctx, fh.Filename, fh.Header.Get("Content-Type"), uploadLimit(f), content)
}

// uploadLimit is what the store may take for a field: its max_size, or
// the request's own limit when it sets none (forms applies the type's
// default when it validates the reference).
func uploadLimit(f *forms.Field) int64 {
	if f.MaxSize > 0 {
		return f.MaxSize
	}
	return maxMultipartBody
}

func isAttachmentField(f *forms.Field) bool {
	switch f.Type {
	case forms.TypePhoto, forms.TypeSignature, forms.TypeFile:
		return true
	}
	return false
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
