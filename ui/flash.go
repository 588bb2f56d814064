package ui

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// flashCookie carries a one-time message key across a redirect
// (post/redirect/get).
const flashCookie = "jianfu_flash"

func setFlash(c echo.Context, key string) {
	c.SetCookie(&http.Cookie{
		Name:     flashCookie,
		Value:    key,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash returns the pending flash message and clears it.
func takeFlash(c echo.Context) string {
	cookie, err := c.Cookie(flashCookie)
	if err != nil || cookie.Value == "" {
		return ""
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return flashMessage(cookie.Value)
}
