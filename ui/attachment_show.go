package ui

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
)

// shownInline reports whether a browser may show content of this type in
// the page's place; any other content is offered as a download, so an
// uploaded HTML or SVG file can never run as a page of this site.
func shownInline(contentType string) bool {
	switch contentType {
	case "image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf":
		return true
	}
	return false
}

// attachmentShow serves the content of an attachment to whoever uploaded
// it or may see a case that uses it; to anyone else it does not exist (a
// 身份证 photo must not be one guessed or copied link away). Its type is
// sniffed from the content (the store keeps none), never taken from the
// upload.
func (s *server) attachmentShow(c echo.Context) error {
	if s.attachments == nil {
		return echo.ErrNotFound
	}
	id := c.Param("id")
	ok, err := s.svc.MayReadAttachment(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return fmt.Errorf("authorize attachment: %w", err)
	}
	if !ok {
		return echo.ErrNotFound
	}
	content, err := s.attachments.Get(c.Request().Context(), id)
	if errors.Is(err, forms.ErrAttachmentNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("open attachment: %w", err)
	}
	defer content.Close()
	r := bufio.NewReaderSize(content, 512)
	head, err := r.Peek(512)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return fmt.Errorf("read attachment: %w", err)
	}
	typ, _, _ := strings.Cut(http.DetectContentType(head), ";")
	h := c.Response().Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox")
	if !shownInline(typ) {
		typ = "application/octet-stream"
		h.Set("Content-Disposition", "attachment")
	}
	return c.Stream(http.StatusOK, typ, r)
}
