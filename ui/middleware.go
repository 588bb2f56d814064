package ui

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// maxBody bounds every request body: JSON, form posts and definition
// uploads alike.
const maxBody = 1 << 20

// maxMultipartBody bounds a form post carrying files: room for the largest
// default attachment (a 20 MiB file) and the rest of the form. Only
// multipart posts get it, so a JSON or urlencoded body stays small.
const maxMultipartBody = 24 << 20

// maxListFile bounds one screening list file (a county's month of a
// department's list is a few MiB); maxListBody leaves room for the rest of
// its form, so that the file's own limit is what an uploader meets.
const (
	maxListFile = 32 << 20
	maxListBody = maxListFile + 1<<20
)

// logRequests writes one line per request. It logs the route pattern
// (c.Path(), e.g. /cases/:id), never the raw URL, query string or body:
// those may carry a 身份证号.
func (s *server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			// Let the error handler write the response now so the
			// status below is the one the client gets.
			c.Error(err)
		}
		var username string
		if u, ok := userOf(c); ok {
			username = u.Username
		}
		s.log.Info("request",
			"method", c.Request().Method,
			"route", c.Path(),
			"status", c.Response().Status,
			"duration", time.Since(start),
			"user", username,
		)
		return nil
	}
}

// secureHeaders sets the headers every response should carry. Pages show
// personal data, so they are never cached; the CSP allows only our own
// stylesheet (there is no script).
func secureHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
		if !strings.HasPrefix(c.Request().URL.Path, "/static/") {
			h.Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// limitBody caps request bodies at maxBody, or maxMultipartBody for a
// multipart post (maxListBody for a screening list's); reading past it fails
// with *http.MaxBytesError, which the error handler answers with 413. It
// runs after routing, so it knows the route.
func limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.Body != nil {
			r.Body = http.MaxBytesReader(c.Response(), r.Body, bodyLimit(r, c.Path()))
		}
		return next(c)
	}
}

func bodyLimit(r *http.Request, route string) int64 {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return maxBody
	}
	if route == routeListUpload || route == routeAPIListUpload {
		return maxListBody
	}
	return maxMultipartBody
}
