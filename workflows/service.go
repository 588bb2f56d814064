package workflows

import (
	"context"
	"time"

	"jianfu/forms"
)

// This file holds the case-work domain: the people, households, cases, tasks
// and audit events the runtime acts on, and the Service that the transport
// layer (ui) calls. Storage (ent/store) implements Service; nothing here knows
// SQL or HTTP.

// User is a person who signs in: a cadre, a liaison or an administrator.
type User struct {
	ID       int
	Username string
	Name     string
	// Role is one of the role names of package roles: village, township,
	// county, liaison, admin.
	Role string
	// Locality is the 12-digit 统计用区划代码 of the user's village,
	// township or county.
	Locality string
	// Department is set for liaisons only, e.g. public_security.
	Department string
}

// Household is a rural family, the subject of every case.
type Household struct {
	ID       int
	HeadName string
	// IDNumber is the head's full 身份证号. Only screens that need it show
	// it; lists carry IDNumberMasked.
	IDNumber       string
	IDNumberMasked string
	Locality       string // 12-digit village code
	Members        []Member
}

// Locality is one node of the administrative tree a user may work in.
type Locality struct {
	Code  string // 12-digit 统计用区划代码
	Name  string // 桃园村
	Level string // county, township or village
}

// Member is one person of a household.
type Member struct {
	Name     string
	IDNumber string
	Relation string
	Gender   string
	Birth    string // 2006-01-02, may be empty
}

// Fired is the outcome of one action on a case.
type Fired struct {
	CaseID int
	// From and To are the states before and after; equal for an
	// internal transition (a record kept without moving on).
	From, To string
	// Version is the case's new version, the one to send with the next
	// action.
	Version int
	Final   bool
	Outcome string
}

// Page asks for one page of a long list. The zero value is the first page
// of DefaultPageSize rows.
type Page struct {
	// Number counts from 1; 0 means 1.
	Number int
	// Size is the rows per page: 0 means DefaultPageSize, and more than
	// MaxPageSize is cut to it.
	Size int
}

// Page sizes: an inbox page must stay cheap to read at county scale
// (docs/BENCHMARKS.md), whatever a client asks for.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// Normal is p with its defaults and limits applied.
func (p Page) Normal() Page {
	if p.Number < 1 {
		p.Number = 1
	}
	if p.Size < 1 {
		p.Size = DefaultPageSize
	}
	p.Size = min(p.Size, MaxPageSize)
	return p
}

// Offset is the number of rows before the page.
func (p Page) Offset() int {
	p = p.Normal()
	return (p.Number - 1) * p.Size
}

// TaskPage is one page of an inbox.
type TaskPage struct {
	Tasks []Task
	// Page is the page served, defaults applied.
	Page Page
	// Total counts all the actor's open tasks, on every page.
	Total int
}

// Pages is how many pages the inbox has (at least 1).
func (p TaskPage) Pages() int {
	if p.Total <= p.Page.Size || p.Page.Size < 1 {
		return 1
	}
	return (p.Total + p.Page.Size - 1) / p.Page.Size
}

// More reports whether a page follows this one.
func (p TaskPage) More() bool { return p.Page.Number < p.Pages() }

// HouseholdPage is one page of a household list or search.
type HouseholdPage struct {
	Households []Household
	// Page is the page served, defaults applied.
	Page Page
	// Total counts the matching households on every page, up to
	// MaxListedHouseholds.
	Total int
	// Capped reports that more than MaxListedHouseholds match: the pages
	// hold the first MaxListedHouseholds, the rest is found by searching.
	Capped bool
}

// MaxListedHouseholds bounds what a household list counts and pages
// through. On a synthetic county of 300,000 households, counting them
// all took 20–120 ms on PostgreSQL (its parallel plan the slower) and
// 22 ms on SQLite, and page 3000 took 250 ms on SQLite (an OFFSET reads
// every row before it); nobody pages that far where a search finds the
// household.
const MaxListedHouseholds = 5000

// Pages is how many pages the list has (at least 1), counted as an
// inbox's are.
func (p HouseholdPage) Pages() int { return TaskPage{Page: p.Page, Total: p.Total}.Pages() }

// More reports whether a page follows this one.
func (p HouseholdPage) More() bool { return p.Page.Number < p.Pages() }

// Case is one run of one workflow for one household.
type Case struct {
	ID              int
	Workflow        string
	WorkflowVersion int
	WorkflowTitle   string
	State           string
	StateTitle      string
	HouseholdID     int
	HouseholdName   string
	Locality        string
	// Version increases with every change; Fire takes it back to detect a
	// stale page (optimistic locking).
	Version int
	Final   bool
	// Classification is the category or colour band computed by the
	// workflow (红/黄/绿); "" when none.
	Classification string
	EnteredAt      time.Time // when the case entered State
	CreatedAt      time.Time
	// Actions lists the triggers the viewing user may fire now.
	Actions []Action
	// Blocked lists the triggers the viewing user may fire once a hold
	// is over or the departments' checks are in, with the reason they
	// wait (Engine.Blocked).
	Blocked []BlockedAction
	// Drafts holds, by form id, the newest earlier submission in this case
	// of each action's form, offered to fill it again after a send-back.
	Drafts  map[string]map[string]any
	Tasks   []Task
	History []Event
}

// Action is a trigger a user may fire, with what the UI needs to offer it.
type Action struct {
	Trigger string
	Title   string
	Form    string // form id to fill, empty when none
	To      string
	// Negative: the trigger refuses, returns or sends back (negative: in
	// its definition), shown as a secondary button.
	Negative bool
}

// StartCheck is whether an actor may start a workflow for a household now.
type StartCheck struct {
	// Title is the workflow's title as the household's locality runs it.
	Title string
	// Allowed: the actor's role starts it here and no case of it is open.
	Allowed bool
	// OpenCaseID is the household's open case of the workflow, which a
	// start would duplicate; 0 when none.
	OpenCaseID int
}

// BlockedAction is an action a user may take but not yet: the state's hold
// is not over or its department join is not complete.
type BlockedAction struct {
	Action
	// Reason says what it waits for, as Fire would refuse it:
	// "以下部门尚未完成：住建、卫健", "公示期未满5个工作日，2026-10-11 起方可办理".
	Reason string
}

// Task is one item of work in an inbox: the acting role's step of a case, or
// one department's check fanned out from a step.
type Task struct {
	ID       int
	CaseID   int
	Workflow string
	// WorkflowTitle is the title of the procedure the task belongs to
	// (监测对象识别纳入, 部门预警核实), as its case's definition names it.
	WorkflowTitle string
	State         string
	StateTitle    string
	Role          string
	Department    string
	Locality      string
	Form          string
	Due           time.Time
	Status        string // open, done, cancelled
	CompletedBy   string
	CompletedAt   time.Time
	Household     string // head name, for inbox display
	CreatedAt     time.Time
	// Recurring marks scheduled work (the monthly visit record): it is
	// completed with its own form, like a department task, and does not
	// move the case.
	Recurring bool
	// EscalatedTo is the role an overdue task was escalated to, if any.
	EscalatedTo string
	// Warnings counts the department warnings (screening-list rows, see
	// TriggerListWarning) recorded on the case while this task was open:
	// news its holder should read on the case page before acting.
	Warnings int
	// MayComplete reports whether the actor who read the task (Task, not
	// Tasks) may complete it: its department's liaison, or the role that
	// records recurring work. A page checks it before storing uploads.
	MayComplete bool
}

// Task statuses.
const (
	TaskOpen      = "open"
	TaskDone      = "done"
	TaskCancelled = "cancelled"
)

// Event is one line of the audit trail.
type Event struct {
	At           time.Time
	Actor        string
	Role         string
	Locality     string
	Trigger      string
	From         string
	To           string
	SubmissionID int
	Reason       string
	// Titles as the pinned definition names them, for people to read;
	// empty when the definition does not know the name.
	ActorName    string
	TriggerTitle string
	FromTitle    string
	ToTitle      string
}

// Submission is the data of one filled form, pinned to the form version it
// was validated against.
type Submission struct {
	ID          int
	CaseID      int
	TaskID      int
	Form        string
	FormVersion int
	Data        map[string]any
	CreatedBy   string
	CreatedAt   time.Time
}

// DefinitionInfo describes one stored definition version.
type DefinitionInfo struct {
	Kind      string // form or workflow
	ID        string
	Version   int
	Title     string
	Published bool
	CreatedAt time.Time
	// Unchanged is set by PublishDefinition when the text was the newest
	// version's already: nothing was stored, Version is that version.
	Unchanged bool
}

// DefinitionSource is one stored definition version with the YAML text
// its administrator published.
type DefinitionSource struct {
	DefinitionInfo
	Source    string
	CreatedBy string
}

// DefinitionCheck is what a definition text would publish, found without
// publishing it.
type DefinitionCheck struct {
	Kind, ID, Title string
	// Form is the form as cadres would see it (a variant laid over its
	// base); nil for a workflow or a calendar.
	Form *forms.Definition
	// Workflow is the workflow compiled, for its steps; nil for a form or
	// a calendar.
	Workflow *Definition
}

// Service is the case work the transport layer offers. Every method that
// changes something authorizes the actor, validates, and commits in one
// transaction with one audit event; on error nothing has changed.
//
// Errors are *Error with Code Forbidden, Invalid (with field errors),
// Conflict (stale version, hold not over, join not complete) or NotFound.
type Service interface {
	// Authenticate checks a password and returns a session token.
	// Returns Unauthorized on a wrong name or password.
	Authenticate(ctx context.Context, username, password string) (token string, err error)
	// UserByToken returns the user of a session. Returns Unauthorized.
	UserByToken(ctx context.Context, token string) (User, error)
	// Logout ends a session.
	Logout(ctx context.Context, token string) error

	// SearchHouseholds lists one page of the households the actor may
	// see, in id order, filtered by a search string (head name or last
	// digits of the ID number; "" lists them all).
	SearchHouseholds(ctx context.Context, actor User, query string, page Page) (HouseholdPage, error)
	// Household returns one household. Returns NotFound, Forbidden.
	Household(ctx context.Context, actor User, id int) (Household, error)
	// Localities lists the localities at and under the actor's own, in
	// the order of their codes, e.g. to offer the villages a household
	// may be registered in.
	Localities(ctx context.Context, actor User) ([]Locality, error)
	// CreateHousehold registers a household. Returns Forbidden, Invalid.
	CreateHousehold(ctx context.Context, actor User, h Household) (Household, error)

	// StartCase starts the newest published version of a workflow for a
	// household. Returns Forbidden, NotFound, Invalid.
	StartCase(ctx context.Context, actor User, workflow string, householdID int) (Case, error)
	// StartCheck says, for a household page, whether StartCase would
	// start workflow now: a page offers the start only then, and links
	// the open case instead of starting a second. Returns Forbidden,
	// NotFound for the household.
	StartCheck(ctx context.Context, actor User, workflow string, householdID int) (StartCheck, error)
	// Case returns a case with the actions the actor may take now.
	// Returns NotFound, Forbidden.
	Case(ctx context.Context, actor User, id int) (Case, error)
	// Cases lists cases of a household the actor may see.
	Cases(ctx context.Context, actor User, householdID int) ([]Case, error)
	// Fire fires a trigger with the data of its form. version must equal
	// the case's current version. It answers what the action changed; the
	// case as a page shows it is a separate read (Case), so the action's
	// transaction does no more than decide and write. Returns Forbidden,
	// Invalid, Conflict, NotFound.
	Fire(ctx context.Context, actor User, caseID int, trigger string, data map[string]any, version int) (Fired, error)

	// Tasks lists one page of the actor's open tasks (待办), oldest due
	// first, tasks without a time limit last.
	Tasks(ctx context.Context, actor User, page Page) (TaskPage, error)
	// Task returns one task the actor may see. Returns NotFound, Forbidden.
	Task(ctx context.Context, actor User, id int) (Task, error)
	// CompleteTask completes a department task with its form data.
	// Returns Forbidden, Invalid, Conflict (already done), NotFound.
	CompleteTask(ctx context.Context, actor User, taskID int, data map[string]any) (Task, error)
	// Submissions lists the submissions of a case, newest first.
	Submissions(ctx context.Context, actor User, caseID int) ([]Submission, error)

	// AttachmentUploaded records that actor stored the attachment id, so
	// they may read it back while filling the form.
	AttachmentUploaded(ctx context.Context, actor User, id string) error
	// MayReadAttachment reports whether actor may read attachment id: they
	// uploaded it, or a submission of a case they may see uses it.
	MayReadAttachment(ctx context.Context, actor User, id string) (bool, error)

	// Lists returns the screening lists the actor may upload (liaisons:
	// their department's).
	Lists(ctx context.Context, actor User) ([]ListInfo, error)
	// ImportList reads a department's screening list: every row is checked
	// against the list's form, matched to a household by 身份证号 and starts
	// one case; rows already imported for the period, or whose household's
	// check is still open, are skipped. Once the file's header fits the
	// form, accepted is called with the import (status running) and the
	// rows are processed in batches, each one transaction, progress written
	// to the import as it goes; ImportList returns when all are done.
	// Returns Forbidden, Invalid (no such list, unreadable file, wrong
	// header) before accepting; later failures mark the import failed.
	ImportList(ctx context.Context, actor User, upload ListUpload, accepted func(ListImport)) (ListImport, error)
	// ListImport returns one import with its progress. Returns NotFound,
	// Forbidden (another department's).
	ListImport(ctx context.Context, actor User, id int) (ListImport, error)
	// ListImports lists the newest imports the actor may see.
	ListImports(ctx context.Context, actor User, limit int) ([]ListImport, error)
	// ListProblems calls fn for each row of an import that started no
	// case, in line order (the error sheet).
	ListProblems(ctx context.Context, actor User, id int, fn func(ListProblem) error) error

	// Definitions lists every stored definition version.
	Definitions(ctx context.Context, actor User) ([]DefinitionInfo, error)
	// DefinitionSource returns one stored version of a definition of kind
	// (form, workflow, calendar) with its source text; version 0 is the
	// newest. Administrators only. Returns Forbidden, NotFound.
	DefinitionSource(ctx context.Context, actor User, kind, id string, version int) (DefinitionSource, error)
	// CheckDefinition lints a definition text exactly as
	// PublishDefinition would and stores nothing: for a preview before
	// publishing. Returns Forbidden, or Invalid with Problems.
	CheckDefinition(ctx context.Context, actor User, src []byte) (DefinitionCheck, error)
	// PublishDefinition stores and publishes a new version of a form or
	// workflow definition from its YAML text. Returns Forbidden, or
	// Invalid with Problems.
	PublishDefinition(ctx context.Context, actor User, src []byte) (DefinitionInfo, error)
	// Form returns the newest published form definition by id for a
	// household of locality: the most specific variant covering it, or
	// the base ("" locality: the base). For rendering. Returns NotFound.
	Form(ctx context.Context, id, locality string) (*forms.Definition, error)
	// Prefill returns the values form shows on case caseID before the
	// cadre types, from its `prefill:` sources (the household, earlier
	// submissions), as stored values (money in fen); nil when the form
	// prefills nothing. Returns NotFound, Forbidden.
	Prefill(ctx context.Context, actor User, caseID int, form string) (map[string]any, error)
	// WorkflowVersion returns one stored version of a workflow (a
	// variant's id included), compiled: to show its steps. Returns
	// NotFound.
	WorkflowVersion(ctx context.Context, id string, version int) (*Definition, error)
	// FormVersion returns one stored version of a form (a variant's id
	// included), as a submission was validated against it: to show what was
	// filed under the labels it was filed with. Returns NotFound.
	FormVersion(ctx context.Context, id string, version int) (*forms.Definition, error)
	// MigrateCases moves chosen cases to a newer published version of
	// their workflow, in one transaction with one audit event per moved
	// case, or with m.DryRun only reports which cases map and why others
	// do not. Returns Forbidden (administrators only), NotFound (no such
	// workflow version), Invalid.
	MigrateCases(ctx context.Context, actor User, m Migration) (MigrationReport, error)
}
