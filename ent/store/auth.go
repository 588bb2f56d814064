package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"golang.org/x/crypto/bcrypt"

	"jianfu/ent"
	"jianfu/ent/session"
	"jianfu/ent/user"
	"jianfu/roles"
	"jianfu/workflows"
)

// Authenticate checks a password and opens a session.
func (s *Service) Authenticate(ctx context.Context, username, password string) (string, error) {
	wrong := workflows.Errorf(workflows.Unauthorized, "用户名或密码错误")
	if !plainText(username) {
		// No account has such a name, and PostgreSQL would refuse to
		// compare it (an internal error where SQLite finds no one).
		_ = bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
		return "", wrong
	}
	u, err := s.client.User.Query().Where(user.Username(username)).Only(ctx)
	if ent.IsNotFound(err) {
		// Spend the same time as a real check so timing does not tell
		// which user names exist.
		_ = bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
		return "", wrong
	}
	if err != nil {
		return "", fmt.Errorf("find user %s: %w", username, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return "", wrong
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	now := s.now()
	if _, err := s.client.Session.Create().
		SetTokenHash(hashToken(token)).SetUsername(u.Username).
		SetCreatedAt(now).SetExpiresAt(now.Add(s.ttl)).Save(ctx); err != nil {
		return "", fmt.Errorf("store session: %w", err)
	}
	return token, nil
}

// newDummyHash hashes a random string: Authenticate compares against it when
// the user does not exist.
func newDummyHash() ([]byte, error) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	return bcrypt.GenerateFromPassword(raw, bcrypt.DefaultCost)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// UserByToken returns the user of an unexpired session.
func (s *Service) UserByToken(ctx context.Context, token string) (workflows.User, error) {
	none := workflows.Errorf(workflows.Unauthorized, "请先登录")
	if token == "" {
		return workflows.User{}, none
	}
	u, expires, ok, err := s.sessionUser(ctx, hashToken(token))
	if err != nil {
		return workflows.User{}, fmt.Errorf("find session: %w", err)
	}
	if !ok {
		return workflows.User{}, none
	}
	if !s.now().Before(expires) {
		return workflows.User{}, workflows.Errorf(workflows.Unauthorized, "登录已过期，请重新登录")
	}
	return u, nil
}

// sessionUserSQL reads a session and its user in one statement, per
// dialect: every authenticated request runs it, and as two ent queries it
// was two round trips on PostgreSQL. A session whose user is gone finds
// no row.
var sessionUserSQL = map[string]string{
	dialect.SQLite:   sessionUserQuery + "?1",
	dialect.Postgres: sessionUserQuery + "$1",
}

const sessionUserQuery = `SELECT s.expires_at, u.id, u.username, u.name, u.role, u.locality, u.department
FROM sessions s JOIN users u ON u.username = s.username WHERE s.token_hash = `

// sessionUser reads the session of a token hash and its user; ok is false
// when there is none. The expiry is compared here, not in SQL: SQLite
// compares stored times as text.
func (s *Service) sessionUser(ctx context.Context, tokenHash string) (u workflows.User, expires time.Time, ok bool, err error) {
	rows, err := s.client.QueryContext(ctx, sessionUserSQL[s.db.Dialect], tokenHash)
	if err != nil {
		return u, expires, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return u, expires, false, rows.Err()
	}
	if err := rows.Scan(&expires, &u.ID, &u.Username, &u.Name, &u.Role, &u.Locality, &u.Department); err != nil {
		return u, expires, false, err
	}
	return u, expires, true, rows.Close()
}

// Logout ends a session; ending an unknown session is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	_, err := s.client.Session.Delete().Where(session.TokenHash(hashToken(token))).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func toUser(u *ent.User) workflows.User {
	return workflows.User{ID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, Locality: u.Locality, Department: u.Department}
}

// NewUser is an account to create.
type NewUser struct {
	Username, Name, Role, Locality, Department string
	// PasswordHash is a bcrypt hash; see HashPassword.
	PasswordHash string
}

// HashPassword hashes a password with bcrypt.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// CreateUsers adds accounts and grants them their role. It is an
// operator's tool (demo seeding, CLI), not a user action, so it takes no
// actor.
func (s *Service) CreateUsers(ctx context.Context, users []NewUser) error {
	err := s.inTx(ctx, func(tx *ent.Tx) error {
		for _, nu := range users {
			if _, err := roles.Path(nu.Locality); err != nil {
				return fmt.Errorf("user %s: locality %q: %w", nu.Username, nu.Locality, err)
			}
			if _, err := tx.User.Create().SetUsername(nu.Username).SetName(nu.Name).SetRole(nu.Role).
				SetLocality(nu.Locality).SetDepartment(nu.Department).SetPasswordHash(nu.PasswordHash).
				SetCreatedAt(s.now()).Save(ctx); err != nil {
				return fmt.Errorf("create user %s: %w", nu.Username, err)
			}
			// An account is a grant: the trail says who got which right.
			if err := s.audit(ctx, tx, system, auditEntry{kind: "create_user", locality: nu.Locality,
				object: fmt.Sprintf("user:%s role:%s department:%s", nu.Username, nu.Role, nu.Department)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, nu := range users {
		if err := s.auth.SetGrant(roles.Grant{Username: nu.Username, Role: nu.Role, Locality: nu.Locality, Department: nu.Department}); err != nil {
			return fmt.Errorf("grant %s: %w", nu.Username, err)
		}
	}
	return nil
}
