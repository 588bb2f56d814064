package store_test

import (
	"strings"
	"testing"
	"time"

	"jianfu/ent/user"
	"jianfu/workflows"
)

func testSessions(t *testing.T, f *fixture) {
	signIn := func(t *testing.T, username string) string {
		t.Helper()
		token, err := f.svc.Authenticate(f.ctx, username, "demo")
		if err != nil {
			t.Fatalf("%s signs in: %v", username, err)
		}
		if token == "" {
			t.Fatalf("%s signed in with an empty token", username)
		}
		return token
	}
	wantUser := func(t *testing.T, token, username string) {
		t.Helper()
		u, err := f.svc.UserByToken(f.ctx, token)
		if err != nil {
			t.Fatalf("the session of %s: %v", username, err)
		}
		if u.Username != username || u.Role != "village" || u.Locality != taoyuan {
			t.Errorf("the session is %s (%s, %s), want %s (village, %s)", u.Username, u.Role, u.Locality, username, taoyuan)
		}
	}
	refused := func(t *testing.T, token string) {
		t.Helper()
		_, err := f.svc.UserByToken(f.ctx, token)
		wantCode(t, err, workflows.Unauthorized)
	}

	t.Run("WrongPasswordUnauthorized", func(t *testing.T) {
		for _, pw := range []string{"wrong", "", "Demo", "demo "} {
			_, err := f.svc.Authenticate(f.ctx, "village11", pw)
			wantCode(t, err, workflows.Unauthorized)
		}
	})

	t.Run("UnknownUserUnauthorized", func(t *testing.T) {
		_, err := f.svc.Authenticate(f.ctx, "nobody", "demo")
		e := wantCode(t, err, workflows.Unauthorized)
		_, err = f.svc.Authenticate(f.ctx, "village11", "wrong")
		// The same answer for both, so a caller cannot tell which names exist.
		if other := wantCode(t, err, workflows.Unauthorized); other.Message != e.Message {
			t.Errorf("unknown user says %q, wrong password %q: want the same message", e.Message, other.Message)
		}
	})

	t.Run("TokenIdentifiesUser", func(t *testing.T) {
		wantUser(t, signIn(t, "village11"), "village11")
	})

	t.Run("UnknownTokenUnauthorized", func(t *testing.T) {
		token := signIn(t, "village11")
		refused(t, "")
		refused(t, token+"x")
		refused(t, strings.ToUpper(token))
	})

	t.Run("OnlyTokenHashStored", func(t *testing.T) {
		token := signIn(t, "village11")
		rows, err := f.db.Client.Session.Query().All(f.ctx)
		if err != nil {
			t.Fatalf("list sessions: %v", err)
		}
		for _, s := range rows {
			if strings.Contains(s.TokenHash, token) {
				t.Errorf("session %d stores the token itself", s.ID)
			}
		}
	})

	t.Run("SessionExpiresAfterTwelveHours", func(t *testing.T) {
		token := signIn(t, "village11")
		f.clock.Advance(12*time.Hour - time.Second)
		wantUser(t, token, "village11")
		f.clock.Advance(time.Second)
		refused(t, token)
		// Signing in again gives a session that works on the new clock.
		wantUser(t, signIn(t, "village11"), "village11")
	})

	t.Run("LogoutEndsSession", func(t *testing.T) {
		ended, kept := signIn(t, "village11"), signIn(t, "village11")
		if ended == kept {
			t.Fatal("two sign-ins gave the same token")
		}
		if err := f.svc.Logout(f.ctx, ended); err != nil {
			t.Fatalf("logout: %v", err)
		}
		refused(t, ended)
		wantUser(t, kept, "village11")
		if err := f.svc.Logout(f.ctx, ended); err != nil {
			t.Errorf("logging out an ended session: %v, want no error", err)
		}
	})

	t.Run("SessionOfRemovedUserUnauthorized", func(t *testing.T) {
		token := signIn(t, "village12")
		if _, err := f.db.Client.User.Delete().Where(user.Username("village12")).Exec(f.ctx); err != nil {
			t.Fatalf("remove village12: %v", err)
		}
		refused(t, token)
	})
}
