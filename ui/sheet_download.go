package ui

import (
	"fmt"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"jianfu/forms/sheets"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// writeSheetDownload streams an .xlsx download named file. The headers go
// out with the first byte of the workbook, which sheets.WriteSheet writes
// only once every row is in; so a failure before that (failed reports one
// met while producing the rows) is still answered with an error page, not
// with a broken file.
func writeSheetDownload(c echo.Context, file, sheet string, header []string, next func() ([]string, bool), failed func() error) error {
	w := &sheetResponse{c: c, file: file, failed: failed}
	if err := sheets.WriteSheet(w, sheet, header, next); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}

// sheetResponse is the response body of a download.
type sheetResponse struct {
	c      echo.Context
	file   string
	failed func() error
}

func (w *sheetResponse) Write(p []byte) (int, error) {
	r := w.c.Response()
	if !r.Committed {
		if w.failed != nil {
			if err := w.failed(); err != nil {
				return 0, err
			}
		}
		h := r.Header()
		h.Set(echo.HeaderContentType, xlsxType)
		h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": w.file}))
		r.WriteHeader(http.StatusOK)
	}
	return r.Write(p)
}
