package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// decodeJSON reads a request body of exactly one JSON object into dst.
// Unknown fields, trailing data and malformed JSON are 400; a body over
// maxBody (limitBody) is 413.
func decodeJSON(c echo.Context, dst any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return badRequest("请求体只能包含一个 JSON 对象")
	}
	return nil
}

// jsonError turns a decoding error into the client's error: the size limit
// keeps its own status, anything else says what is wrong without echoing
// the input.
func jsonError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	if errors.Is(err, io.EOF) {
		return badRequest("请求体不能为空")
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return badRequest(fmt.Sprintf("字段 %s 的类型不正确", typeErr.Field))
	}
	return badRequest("请求体不是有效的 JSON，或含有不支持的字段")
}
