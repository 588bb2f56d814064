package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"jianfu/ent/store"
	"jianfu/ent/storetest"
	"jianfu/ent/user"
	"jianfu/roles"
	"jianfu/workflows"
)

// The storage suite: one list of tests, each run on a fresh database of
// every dialect storetest offers (SQLite always, PostgreSQL when reachable),
// in the style of ent's integration suite. A test never asks which dialect
// it runs on.

// suiteTest is one entry of the suite: a group of rules checked on one
// seeded database.
type suiteTest struct {
	name string
	seed seed
	run  func(t *testing.T, f *fixture)
}

func suite() []suiteTest {
	return []suiteTest{
		{"OneWinnerPerCase", seedCounty, testOneWinnerPerCase},
		{"RefusedActionWritesNothing", seedCounty, testRefusedActionWritesNothing},
		{"EveryMutationAppendsOneEvent", seedCounty, testEveryMutationAppendsOneEvent},
		{"Tasks", seedCounty, testTasks},
		{"FireWritesTheRows", seedCounty, testFireWritesTheRows},
		{"Inbox", seedDemo, testInbox},
		{"InboxPage", seedCounty, testInboxPage},
		{"Definitions", seedCounty, testDefinitions},
		{"DefinitionSource", seedCounty, testDefinitionSource},
		{"CheckDefinition", seedCounty, testCheckDefinition},
		{"PublishUnixLines", seedCounty, testPublishUnixLines},
		{"RefreshSeesOtherProcesses", seedCounty, testRefreshSeesOtherProcesses},
		{"OlderVersionKeepsItsSteps", seedCounty, testOlderVersionKeepsItsSteps},
		{"Households", seedDemo, testHouseholds},
		{"Localities", seedCounty, testLocalities},
		{"Sessions", seedCounty, testSessions},
		{"Monitoring", seedCounty, testMonitoring},
		{"CalendarIsData", seedCounty, testCalendarIsData},
		{"MigrateCases", seedCounty, testMigrateCases},
		{"VariantSelection", seedCounty, testVariantSelection},
		{"FormVariant", seedCounty, testFormVariant},
		{"HandOverTakesVariant", seedCounty, testHandOverTakesVariant},
		{"HandOverKeepsTheRoad", seedCounty, testHandOverKeepsTheRoad},
		{"AttachmentReaders", seedCounty, testAttachmentReaders},
		{"ScreeningList", seedCounty, testScreeningList},
		{"ScreeningListRefusals", seedCounty, testScreeningListRefusals},
		{"ScreeningListOtherCases", seedCounty, testScreeningListOtherCases},
		{"ListWarningMarksOpenTasks", seedCounty, testListWarningMarksOpenTasks},
		{"EscalationOnAServerInUTC", seedCounty, testEscalationOnAServerInUTC},
		{"TextPostgreSQLCannotStore", seedCounty, testTextPostgreSQLCannotStore},
		{"SharedMemberIDGoesToFirstHousehold", seedCounty, testSharedMemberIDGoesToFirstHousehold},
		{"NamePrefixIsCaseSensitive", seedCounty, testNamePrefixIsCaseSensitive},
		{"DefinitionsInByteOrder", seedCounty, testDefinitionsInByteOrder},
		{"LoadHouseholds", seedCounty, testLoadHouseholds},
		{"AttachmentNeedsItsUploader", seedCounty, testAttachmentNeedsItsUploader},
		{"SchedulerIsAudited", seedCounty, testSchedulerIsAudited},
		{"VariantOnlyForOwnArea", seedCounty, testVariantOnlyForOwnArea},
		{"MigrationOnlyInOwnArea", seedCounty, testMigrationOnlyInOwnArea},
		{"OperatorToolsAreAudited", seedCounty, testOperatorToolsAreAudited},
		{"ScopeRefusals", seedCounty, testScopeRefusals},
		{"CaseTellsWhatActionsWaitFor", seedCounty, testCaseTellsWhatActionsWaitFor},
		{"HouseholdPages", seedCounty, testHouseholdPages},
		{"HouseholdListCap", seedCounty, testHouseholdListCap},
		{"StartCheck", seedCounty, testStartCheck},
		{"Prefill", seedCounty, testPrefill},
	}
}

func TestStore(t *testing.T) {
	for _, st := range suite() {
		t.Run(st.name, func(t *testing.T) {
			for _, tdb := range storetest.TestDatabases(t) {
				db := openDB(t, tdb)
				t.Run(tdb.Name, func(t *testing.T) {
					// Once open, the dialects share nothing, and PostgreSQL
					// spends most of its time in the server: run them side
					// by side.
					t.Parallel()
					st.run(t, newFixture(t, db, st.seed))
				})
			}
		})
	}
}

// clockStart is the fake clock's first reading: Monday 2 March 2026, 09:00 in
// China. March has no holiday, so 5 working days end on Friday 6, and the
// calendar (2025–2026) covers every week a test may move the clock on.
var clockStart = time.Date(2026, 3, 2, 9, 0, 0, 0, china)

var china = time.FixedZone("CST", 8*3600)

// fakeClock is the service's clock: it stands still until a test moves it,
// so times written by the store can be compared exactly.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is one opened database with its service, as one suite test sees
// it.
type fixture struct {
	ctx   context.Context
	db    *store.DB
	svc   *store.Service
	clock *fakeClock
	seq   int // the last household number newHousehold used
}

// openDB opens a test database and brings its schema up to date. Callers
// open one database at a time: ent's migration writes to the generated
// schema tables that every client shares, so two at once race.
func openDB(t testing.TB, tdb storetest.TestDB) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), tdb.DSN)
	if err != nil {
		t.Fatalf("open %s: %v", tdb.Name, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newFixture starts the service on db with a fake clock and seeds the
// database.
func newFixture(t testing.TB, db *store.DB, s seed) *fixture {
	t.Helper()
	f := &fixture{ctx: context.Background(), db: db, clock: &fakeClock{now: clockStart}}
	f.svc = f.newService(t)
	f.seed(t, s)
	return f
}

func (f *fixture) newService(t testing.TB) *store.Service {
	t.Helper()
	svc, err := store.NewService(f.ctx, store.Config{DB: f.db, Now: f.clock.Now})
	if err != nil {
		t.Fatalf("start service: %v", err)
	}
	return svc
}

// restart starts a second service on the same database, as a new process
// would.
func (f *fixture) restart(t testing.TB) {
	t.Helper()
	f.svc = f.newService(t)
}

// user returns an account as the session layer would hand it to the
// service.
func (f *fixture) user(t testing.TB, username string) workflows.User {
	t.Helper()
	u, err := f.db.Client.User.Query().Where(user.Username(username)).Only(f.ctx)
	if err != nil {
		t.Fatalf("load user %s: %v", username, err)
	}
	return workflows.User{ID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role,
		Locality: u.Locality, Department: u.Department}
}

// liaison returns the demo liaison of a department.
func (f *fixture) liaison(t testing.TB, department string) workflows.User {
	t.Helper()
	u, err := f.db.Client.User.Query().Where(user.Role(roles.Liaison), user.Department(department),
		user.Locality("510100000000")).First(f.ctx)
	if err != nil {
		t.Fatalf("load the liaison of %s: %v", department, err)
	}
	return f.user(t, u.Username)
}

// wantCode fails unless err is a *workflows.Error with code want.
func wantCode(t testing.TB, err error, want workflows.Code) *workflows.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", want)
	}
	var e *workflows.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v (%T), want a *workflows.Error with code %s", err, err, want)
	}
	if e.Code != want {
		t.Fatalf("got %s (%v), want %s", e.Code, err, want)
	}
	return e
}

// wantField fails unless e names field among its field errors.
func wantField(t testing.TB, e *workflows.Error, field string) {
	t.Helper()
	if len(e.Fields.For(field)) == 0 {
		t.Errorf("no error for field %q; got %v", field, e.Fields)
	}
}
