package ui

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"jianfu/roles"
	"jianfu/workflows"
)

// loginView is the sign-in form, possibly after a failed attempt.
type loginView struct {
	Page     page
	Username string
	Next     string
	Error    string
}

// showLogin renders the sign-in form.
func (s *server) showLogin(c echo.Context) error {
	v := loginView{Page: s.page(c, "登录"), Next: safeNext(c.QueryParam("next"))}
	return render(c, http.StatusOK, loginPage(v))
}

// login signs a user in and starts the cookie session.
func (s *server) login(c echo.Context) error {
	username := c.FormValue("username")
	password := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	token, err := s.svc.Authenticate(c.Request().Context(), username, password)
	if workflows.ErrorCode(err) == workflows.Unauthorized {
		v := loginView{Page: s.page(c, "登录"), Username: username, Next: next, Error: msgLoginFailed}
		return render(c, http.StatusUnauthorized, loginPage(v))
	}
	if err != nil {
		return err
	}
	setSession(c, token)
	return c.Redirect(http.StatusSeeOther, next)
}

// logout ends the session on the server and in the browser.
func (s *server) logout(c echo.Context) error {
	// The browser forgets the session even if the server fails to end
	// it; the failure is still reported.
	clearSession(c)
	if cookie, err := c.Cookie(sessionCookie); err == nil && cookie.Value != "" {
		if err := s.svc.Logout(c.Request().Context(), cookie.Value); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
	}
	setFlash(c, flashLoggedOut)
	return c.Redirect(http.StatusSeeOther, "/login")
}

// home sends a signed-in user to the inbox, an administrator, who has no
// tasks, to the definitions.
func (s *server) home(c echo.Context) error {
	if currentUser(c).Role == roles.Admin {
		return c.Redirect(http.StatusSeeOther, "/definitions")
	}
	return c.Redirect(http.StatusSeeOther, "/tasks")
}
