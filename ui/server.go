package ui

import (
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// Config holds the dependencies of the web server.
type Config struct {
	// Service is the case work the pages and the API offer. Required.
	Service workflows.Service
	// Logger receives one line per request and the internal errors.
	// Defaults to slog.Default().
	Logger *slog.Logger
	// Now is the clock used for display (overdue badges). Defaults to
	// time.Now.
	Now func() time.Time
	// SetClock moves the fake clock; non-nil only with `serve
	// --fake-clock`, which enables POST /api/v1/admin/clock.
	SetClock func(time.Time) error
	// Attachments keeps the files of photo, signature and file fields.
	// Nil: those fields say no store is configured and take no upload.
	Attachments forms.AttachmentStore
	// Background, when set, counts the list imports that go on after their
	// upload was answered, so that a shutdown (or a test) can wait for
	// them. Nil: they run uncounted, and a stopped process leaves them to
	// the store, which marks them interrupted when it next starts.
	Background *sync.WaitGroup
}

// server carries the dependencies every handler needs.
type server struct {
	svc      workflows.Service
	log      *slog.Logger
	now      func() time.Time
	setClock func(time.Time) error
	// attachments is nil when no store is configured.
	attachments forms.AttachmentStore
	// background is Config.Background, possibly nil.
	background *sync.WaitGroup
	// zone is the time zone dates are shown in: China Standard Time,
	// fixed, because the deadlines are computed in it too.
	zone *time.Location
}

// New returns the HTTP handler of the whole application: pages, JSON API,
// static assets and /healthz.
func New(cfg Config) http.Handler {
	s := &server{
		svc:         cfg.Service,
		log:         cfg.Logger,
		now:         cfg.Now,
		setClock:    cfg.SetClock,
		attachments: cfg.Attachments,
		background:  cfg.Background,
		zone:        chinaTime,
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.Use(s.logRequests, secureHeaders, limitBody)
	s.routes(e)
	return e
}

// goBackground runs fn on its own goroutine, counted in Config.Background
// when there is one.
func (s *server) goBackground(fn func()) {
	if s.background == nil {
		go fn()
		return
	}
	s.background.Go(fn)
}
