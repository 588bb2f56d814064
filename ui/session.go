package ui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"jianfu/workflows"
)

// sessionCookie holds the token from Service.Authenticate for the pages.
const sessionCookie = "jianfu_session"

// userKey is where the authentication middlewares put the signed-in user in
// the echo context.
const userKey = "jianfu.user"

// userOf returns the signed-in user of a request, if any.
func userOf(c echo.Context) (workflows.User, bool) {
	u, ok := c.Get(userKey).(workflows.User)
	return u, ok
}

// currentUser returns the signed-in user of a request that went through an
// authentication middleware.
func currentUser(c echo.Context) workflows.User {
	u, _ := userOf(c)
	return u
}

// requirePageUser lets a page request through only with a valid session
// cookie; anything else is sent to /login, and back here after signing in.
func (s *server) requirePageUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		cookie, err := c.Cookie(sessionCookie)
		if err != nil || cookie.Value == "" {
			return redirectToLogin(c)
		}
		u, err := s.svc.UserByToken(c.Request().Context(), cookie.Value)
		if workflows.ErrorCode(err) == workflows.Unauthorized {
			clearSession(c)
			return redirectToLogin(c)
		}
		if err != nil {
			return fmt.Errorf("session user: %w", err)
		}
		c.Set(userKey, u)
		return next(c)
	}
}

// requireAPIUser authenticates an API request by its bearer token.
func (s *server) requireAPIUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := bearerToken(c.Request().Header.Get(echo.HeaderAuthorization))
		if !ok {
			return workflows.Errorf(workflows.Unauthorized, "%s", msgLoginRequired)
		}
		u, err := s.svc.UserByToken(c.Request().Context(), token)
		if err != nil {
			return fmt.Errorf("token user: %w", err)
		}
		c.Set(userKey, u)
		return next(c)
	}
}

// bearerToken extracts the token of an "Authorization: Bearer <token>"
// header; the scheme is case-insensitive (RFC 9110).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

func setSession(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		Secure:   c.Scheme() == "https",
		SameSite: http.SameSiteLaxMode,
	})
}

func clearSession(c echo.Context) {
	c.SetCookie(&http.Cookie{
		Name:     sessionCookie,
		Value:    "",
		Path:     "/",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   c.Scheme() == "https",
		SameSite: http.SameSiteLaxMode,
	})
}

// redirectToLogin sends the browser to the login page. A GET remembers where
// it was going; a POST cannot be replayed, so it is not remembered.
func redirectToLogin(c echo.Context) error {
	r := c.Request()
	if r.Method != http.MethodGet || r.URL.Path == "/" {
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(r.URL.RequestURI()))
}

// safeNext returns the local path to go to after signing in; anything that
// could leave the site ("//evil", "https://…", "/\evil") becomes /tasks.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.IsAbs() || u.Host != "" {
		return "/"
	}
	return next
}
