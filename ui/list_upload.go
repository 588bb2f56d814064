package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// Uploading a screening list. Service.ImportList checks the file, calls
// back once it has accepted it, then works through the rows for as long as
// the list takes. The handler runs it on a goroutine of its own, waits only
// for the acceptance (or the refusal before it) and answers; the rows go on
// after the request has ended, the page of the import showing how far.

// listImportTimeout bounds an import that hangs (a database that stopped
// answering): far above what a county's list takes, it only keeps a
// goroutine from living for ever. The store marks an import cut short
// failed, and uploading the same list again starts only what is missing.
const listImportTimeout = 2 * time.Hour

// listUpload takes a list from the page and opens its import; a refused
// upload redraws the page with the error by its field and the period kept.
func (s *server) listUpload(c echo.Context) error {
	up, err := readListUpload(c)
	if err == nil {
		var imp workflows.ListImport
		imp, err = s.startImport(c.Request().Context(), currentUser(c), up)
		if err == nil {
			setFlash(c, flashListUploaded)
			return c.Redirect(http.StatusSeeOther, listImportURL(imp.ID))
		}
	}
	if de, ok := invalidUpload(err); ok {
		refused := &refusedUpload{Workflow: up.Workflow, Period: up.Period, Err: de}
		return s.renderListIndex(c, http.StatusUnprocessableEntity, refused)
	}
	return withBack(fmt.Errorf("upload list of %s: %w", up.Workflow, err), "/lists")
}

// importResult is how Service.ImportList returned.
type importResult struct {
	imp workflows.ListImport
	err error
}

// startImport runs Service.ImportList in the background and returns the
// import as soon as the service has accepted the file, or the service's
// refusal. The import's context keeps the request's values but not its
// cancellation: the rows are processed after the answer has gone out.
func (s *server) startImport(ctx context.Context, actor workflows.User, up workflows.ListUpload) (workflows.ListImport, error) {
	// Both channels have room for the one value sent, so the goroutine
	// never waits for this handler, which may be gone.
	accepted := make(chan workflows.ListImport, 1)
	done := make(chan importResult, 1)
	s.goBackground(func() {
		bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), listImportTimeout)
		defer cancel()
		wasAccepted := false
		imp, err := s.svc.ImportList(bg, actor, up, func(imp workflows.ListImport) {
			wasAccepted = true
			select {
			case accepted <- imp:
			default: // called twice: the first one stands
			}
		})
		if err != nil && wasAccepted {
			// The uploader has been answered; the import shows 已中断.
			s.log.Error("list import failed", "import", imp.ID, "workflow", up.Workflow, "user", actor.Username, "err", err)
		}
		done <- importResult{imp: imp, err: err}
	})
	select {
	case imp := <-accepted:
		return imp, nil
	case r := <-done:
		// accepted is sent before ImportList returns: look again, for an
		// import accepted and finished (or failed) at once.
		select {
		case imp := <-accepted:
			return imp, nil
		default:
		}
		if r.err != nil {
			return workflows.ListImport{}, r.err
		}
		return r.imp, nil
	}
}

// readListUpload reads the multipart post of a list: the field period and
// the file in field file, at most maxListFile. What was read comes back
// with an error too, so a refused upload keeps the period.
func readListUpload(c echo.Context) (workflows.ListUpload, error) {
	up := workflows.ListUpload{Workflow: c.Param("workflow")}
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return up, badRequest("请以 multipart/form-data 上传名单（字段 period 和 file）")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return up, nil
		}
		if err != nil {
			return up, partError(err)
		}
		err = readListPart(part, &up)
		part.Close()
		if err != nil {
			return up, err
		}
	}
}

// maxPeriodField bounds the period field: "2026-11" and some room.
const maxPeriodField = 64

func readListPart(part *multipart.Part, up *workflows.ListUpload) error {
	switch part.FormName() {
	case "period":
		text, err := io.ReadAll(io.LimitReader(part, maxPeriodField))
		if err != nil {
			return partError(err)
		}
		up.Period = strings.TrimSpace(string(text))
		return nil
	case "file":
		content, err := io.ReadAll(io.LimitReader(part, maxListFile+1))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || len(content) > maxListFile {
			return listFileTooLarge()
		}
		if err != nil {
			return partError(err)
		}
		// A form without a chosen file posts an empty part: the first
		// file with content is the list.
		if len(up.Content) == 0 {
			up.FileName, up.Content = part.FileName(), content
		}
		return nil
	}
	if _, err := io.Copy(io.Discard, part); err != nil {
		return partError(err)
	}
	return nil
}

// partError is a multipart body that cannot be read: over the body limit
// (413), else malformed or cut off (400).
func partError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	return badRequest("上传的内容不完整或格式有误，请重新上传")
}

func listFileTooLarge() error {
	msg := fmt.Sprintf("文件超过 %d MB，请拆成几个文件分批上传（同一期次已导入的人员不会重复生成任务）", maxListFile>>20)
	return &workflows.Error{Code: workflows.Invalid, Message: "名单文件过大",
		Fields: forms.FieldErrors{{Field: "file", Message: msg}}}
}
