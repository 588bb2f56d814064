package ui

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// statusOf is the one place where domain error codes become HTTP statuses.
func statusOf(code workflows.Code) int {
	switch code {
	case workflows.Unauthorized:
		return http.StatusUnauthorized
	case workflows.Forbidden:
		return http.StatusForbidden
	case workflows.Invalid:
		return http.StatusUnprocessableEntity
	case workflows.Conflict:
		return http.StatusConflict
	case workflows.NotFound:
		return http.StatusNotFound
	default:
		return http.StatusInternalServerError
	}
}

// failure is an error as the client is told about it.
type failure struct {
	Status   int
	Message  string
	Fields   forms.FieldErrors
	Problems forms.Problems
	// Internal failures are logged with their real error, which is
	// never shown.
	Internal bool
}

// classify turns any error a handler returns into what the client sees.
func classify(err error) failure {
	var de *workflows.Error
	if errors.As(err, &de) {
		status := statusOf(de.Code)
		if status == http.StatusInternalServerError {
			return failure{Status: status, Message: msgInternal, Internal: true}
		}
		return failure{Status: status, Message: de.Message, Fields: de.Fields, Problems: de.Problems}
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return failure{Status: http.StatusRequestEntityTooLarge, Message: tooLargeMessage(tooBig.Limit)}
	}
	var re *requestError
	if errors.As(err, &re) {
		return failure{Status: http.StatusBadRequest, Message: re.message}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return failure{Status: he.Code, Message: httpMessage(he.Code), Internal: he.Code >= 500}
	}
	return failure{Status: http.StatusInternalServerError, Message: msgInternal, Internal: true}
}

// httpMessage is the Chinese message of echo's own errors (no route, wrong
// method …), whose English text is not shown.
func httpMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return msgNotFound
	case http.StatusMethodNotAllowed:
		return msgMethodNotAllowed
	case http.StatusRequestEntityTooLarge:
		return tooLargeMessage(maxBody)
	case http.StatusBadRequest:
		return msgBadRequest
	}
	if status >= 500 {
		return msgInternal
	}
	return http.StatusText(status)
}

// requestError is a request that cannot be understood at all (malformed
// JSON, a non-numeric id): 400, not a domain error.
type requestError struct {
	message string
}

func (e *requestError) Error() string { return "bad request: " + e.message }

// badRequest returns a 400 with a message for the user.
func badRequest(message string) error {
	return &requestError{message: message}
}

// handleError is echo's error handler: JSON for the API, a message page (or
// the login page) for browsers. Internal errors are logged, never shown.
func (s *server) handleError(err error, c echo.Context) {
	f := classify(err)
	if f.Internal {
		s.log.Error("request failed", "method", c.Request().Method, "route", c.Path(), "err", err)
	}
	if c.Response().Committed {
		return
	}
	var werr error
	switch {
	case isAPI(c):
		werr = writeAPIError(c, f)
	case f.Status == http.StatusUnauthorized:
		clearSession(c)
		werr = redirectToLogin(c)
	default:
		werr = s.renderFailure(c, f, backOf(err))
	}
	if werr != nil {
		s.log.Error("write error response", "route", c.Path(), "err", werr)
	}
}

func isAPI(c echo.Context) bool {
	return strings.HasPrefix(c.Request().URL.Path, "/api/")
}

// apiError is the body of every API error.
type apiError struct {
	Error string `json:"error"`
	// Errors is a list of forms.FieldError (form data) or forms.Problem
	// (definition upload); present on 422.
	Errors any `json:"errors,omitempty"`
}

func writeAPIError(c echo.Context, f failure) error {
	body := apiError{Error: f.Message}
	if f.Status == http.StatusUnprocessableEntity {
		switch {
		case len(f.Problems) > 0:
			body.Errors = f.Problems
		case len(f.Fields) > 0:
			body.Errors = f.Fields
		default:
			body.Errors = []forms.FieldError{}
		}
	}
	return c.JSON(f.Status, body)
}

// linkedError is an error whose message page links back to a page (the
// case the refused action belongs to, say).
type linkedError struct {
	err  error
	back string
}

func (e *linkedError) Error() string { return e.err.Error() }
func (e *linkedError) Unwrap() error { return e.err }

// withBack makes the message page of err link back to href.
func withBack(err error, href string) error {
	return &linkedError{err: err, back: href}
}

// backOf returns the link back of an error, "" when it has none.
func backOf(err error) string {
	var le *linkedError
	if errors.As(err, &le) {
		return le.back
	}
	return ""
}

func (s *server) renderFailure(c echo.Context, f failure, back string) error {
	v := failureView{
		Page:    s.page(c, failureTitle(f.Status)),
		Status:  f.Status,
		Message: f.Message,
		Advice:  failureAdvice(f.Status),
		Back:    back,
	}
	for _, fe := range f.Fields {
		v.Details = append(v.Details, fe.Message)
	}
	return render(c, f.Status, failurePage(v))
}
