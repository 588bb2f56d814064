package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"jianfu/ent"
	"jianfu/roles"
	"jianfu/workflows"
)

// Config is what a Service needs; every dependency is passed in.
type Config struct {
	DB *DB
	// Calendar fixes the holiday calendar (tests); nil uses the newest
	// published one, which administrators edit like any definition.
	Calendar *workflows.Calendar
	Now      func() time.Time
	Logger   *slog.Logger
	// SessionTTL is how long a sign-in lasts; 12 hours when zero.
	SessionTTL time.Duration
}

// Service implements workflows.Service on an ent client.
type Service struct {
	db     *DB
	client *ent.Client
	now    func() time.Time
	log    *slog.Logger
	ttl    time.Duration
	reg    *registry
	auth   *roles.Enforcer
	engine *atomic.Pointer[workflows.Engine] // shared by copies of the Service
	// dummyHash is compared against for unknown user names, so a wrong
	// name costs as much time as a wrong password.
	dummyHash []byte
	// fixedCalendar: the calendar came from Config and publishing one does
	// not replace it.
	fixedCalendar bool
}

var _ workflows.Service = (*Service)(nil)

// NewService loads the stored definitions, publishes built-in definitions
// that are missing or changed, and loads the users' grants into the
// authorizer.
func NewService(ctx context.Context, cfg Config) (*Service, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	s := &Service{
		db: cfg.DB, client: cfg.DB.Client, now: cfg.Now, log: cfg.Logger, ttl: cfg.SessionTTL,
		reg:           newRegistry(roles.Names(), departmentIDs()),
		fixedCalendar: cfg.Calendar != nil,
		engine:        new(atomic.Pointer[workflows.Engine]),
	}
	var err error
	if s.dummyHash, err = newDummyHash(); err != nil {
		return nil, fmt.Errorf("dummy hash: %w", err)
	}
	grants, err := s.grants(ctx)
	if err != nil {
		return nil, err
	}
	if s.auth, err = roles.New(grants); err != nil {
		return nil, fmt.Errorf("build authorizer: %w", err)
	}
	if cfg.Calendar == nil {
		cfg.Calendar = workflows.BuiltinCalendar() // until the stored one is loaded
	}
	s.setCalendar(cfg.Calendar)
	if err := s.reg.load(ctx, s.client); err != nil {
		return nil, err
	}
	if c := s.reg.currentCalendar(); c != nil && !s.fixedCalendar {
		s.setCalendar(c)
	}
	if err := s.publishBuiltins(ctx); err != nil {
		return nil, err
	}
	if err := s.failInterrupted(ctx); err != nil {
		return nil, err
	}
	for _, w := range s.reg.latestWorkflows() {
		if err := s.auth.SetWorkflowRules(w.ID, s.reg.workflowRules(w.ID)); err != nil {
			return nil, fmt.Errorf("rules of workflow %s: %w", w.ID, err)
		}
	}
	return s, nil
}

// Engine exposes the runtime, for benchmarks.
func (s *Service) Engine() *workflows.Engine { return s.eng() }

// eng is the runtime as of now: publishing a holiday calendar swaps it.
func (s *Service) eng() *workflows.Engine { return s.engine.Load() }

// setCalendar swaps in a runtime that counts working days on c. Actions in
// flight keep the engine they loaded.
func (s *Service) setCalendar(c *workflows.Calendar) {
	s.engine.Store(&workflows.Engine{Auth: s.auth, Forms: s.reg, Calendar: c})
}

// LatestWorkflow returns the newest published version of a workflow, for
// benchmarks that drive the Engine without a database. Returns NotFound.
func (s *Service) LatestWorkflow(id string) (*workflows.Definition, error) {
	return s.reg.LatestWorkflow(id)
}

func (s *Service) grants(ctx context.Context) ([]roles.Grant, error) {
	users, err := s.client.User.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	out := make([]roles.Grant, len(users))
	for i, u := range users {
		out[i] = roles.Grant{Username: u.Username, Role: u.Role, Locality: u.Locality, Department: u.Department}
	}
	return out, nil
}

// inTx runs fn in one transaction and rolls back on any error, so a
// refused or failed request changes nothing.
func (s *Service) inTx(ctx context.Context, fn func(tx *ent.Tx) error) error {
	defer s.db.lockWrites()()
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// localityPath is the path of a 12-digit code, for prefix queries.
func localityPath(code string) (string, error) {
	p, err := roles.Path(code)
	if err != nil {
		return "", workflows.Errorf(workflows.Invalid, "区划代码 %s 不正确", code)
	}
	return p, nil
}

func forbidden() error {
	return workflows.Errorf(workflows.Forbidden, "无权查看或办理该事项")
}
