package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"entgo.io/ent/dialect"

	"jianfu/ent"
	"jianfu/ent/casefile"
	"jianfu/ent/household"
	"jianfu/ent/listentry"
	"jianfu/ent/listimport"
	"jianfu/ent/listproblem"
	"jianfu/ent/member"
	"jianfu/forms"
	"jianfu/forms/sheets"
	"jianfu/roles"
	"jianfu/workflows"
)

// Department screening lists (部门预警推送): a liaison uploads a month's list,
// every row is checked against the list's form, matched to a household by
// 身份证号 (the head's or any member's) and starts one case of the workflow
// whose lists: names the department. Rows go in batches of listBatch, each
// one transaction with its cases, tasks, submissions, entries, audit events
// and the import's progress, so a failure keeps what was committed and a
// re-upload of the same period starts only what is missing.

// listBatch is the rows of a list per transaction: enough that commits do
// not dominate, few enough that the progress bar moves every second or so.
const listBatch = 2000

var periodPattern = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// Lists returns the screening lists the actor may upload: a liaison's
// department's lists of the newest workflows, as they apply in their county.
func (s *Service) Lists(ctx context.Context, actor workflows.User) ([]workflows.ListInfo, error) {
	if actor.Role != roles.Liaison || actor.Department == "" {
		return nil, nil
	}
	path, err := localityPath(actor.Locality)
	if err != nil {
		return nil, nil
	}
	var out []workflows.ListInfo
	for _, base := range s.reg.latestWorkflows() {
		if base.Overlay != nil {
			continue
		}
		def, l, form, err := s.listFor(actor, base.ID, path)
		if err != nil || l == nil {
			continue
		}
		out = append(out, workflows.ListInfo{Workflow: def.ID, WorkflowTitle: def.Title, Department: l.Department,
			Title: listTitle(l, form), Form: form.ID, Columns: listColumns(form)})
	}
	slices.SortFunc(out, func(a, b workflows.ListInfo) int { return strings.Compare(a.Workflow, b.Workflow) })
	return out, nil
}

// listFor resolves the actor's department's list of a workflow as it
// applies at path (the liaison's county): the definition, the list (nil when
// the workflow takes none from the department) and its form.
func (s *Service) listFor(actor workflows.User, workflow, path string) (*workflows.Definition, *workflows.List, *forms.Definition, error) {
	def, err := s.reg.forHousehold(workflow, path)
	if err != nil {
		return nil, nil, nil, err
	}
	l := def.List(actor.Department)
	if l == nil {
		return def, nil, nil, nil
	}
	form, err := s.reg.FormFor(l.Form, actor.Locality)
	if err != nil {
		return nil, nil, nil, err
	}
	return def, l, form, nil
}

func listTitle(l *workflows.List, form *forms.Definition) string {
	if l.Title != "" {
		return l.Title
	}
	return form.Title
}

// listColumns are the columns of a list's template: the form's top-level
// fields a row can fill.
func listColumns(form *forms.Definition) []workflows.ListColumn {
	var out []workflows.ListColumn
	for _, f := range form.Fields {
		if f.Type == forms.TypeRepeat || f.Type == forms.TypeGroup || f.Calculate != "" {
			continue
		}
		out = append(out, workflows.ListColumn{Name: f.Name, Label: form.Label(f.Name, "zh"), Required: f.Required})
	}
	return out
}

// ImportList implements workflows.Service.
func (s *Service) ImportList(ctx context.Context, actor workflows.User, up workflows.ListUpload, accepted func(workflows.ListImport)) (workflows.ListImport, error) {
	job, err := s.acceptList(ctx, actor, up)
	if err != nil {
		return workflows.ListImport{}, err
	}
	if accepted != nil {
		accepted(job.info())
	}
	if err := job.run(ctx); err != nil {
		s.log.Error("list import failed", "import", job.id, "err", err)
		job.fail(ctx, "导入中断：系统出错，请稍后重新上传同一名单（已导入的行不会重复）")
		return job.info(), err
	}
	return job.info(), nil
}

// listJob is one import being processed.
type listJob struct {
	s       *Service
	actor   workflows.User
	up      workflows.ListUpload
	def     *workflows.Definition // as it applies in the liaison's county
	list    *workflows.List
	form    *forms.Definition
	header  []string
	id      int
	created time.Time
	row     *ent.ListImport // counters as committed
	// seen maps a 身份证号 of this file to its first line, and households
	// to the case a row of it started, for rows repeated in a file.
	seen       map[string]int
	households map[int]*startedCase
	roads      map[string][]string // Service.road by village (road)
}

// acceptList checks the upload (the actor's right, the period, the file and
// its header) and records the import.
func (s *Service) acceptList(ctx context.Context, actor workflows.User, up workflows.ListUpload) (*listJob, error) {
	if actor.Role != roles.Liaison || actor.Department == "" {
		return nil, workflows.Errorf(workflows.Forbidden, "只有部门联络员可以导入本部门的预警名单")
	}
	path, err := localityPath(actor.Locality)
	if err != nil {
		return nil, forbidden()
	}
	def, l, form, err := s.listFor(actor, up.Workflow, path)
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, workflows.Errorf(workflows.Invalid, "“%s”不接收%s的名单", def.Title, workflows.DepartmentTitle(actor.Department))
	}
	if !periodPattern.MatchString(up.Period) {
		return nil, &workflows.Error{Code: workflows.Invalid, Message: "名单期次有误",
			Fields: forms.FieldErrors{{Field: "period", Message: "请填写名单所属年月，如 2026-11"}}}
	}
	if len(up.Content) == 0 {
		return nil, &workflows.Error{Code: workflows.Invalid, Message: "请选择名单文件",
			Fields: forms.FieldErrors{{Field: "file", Message: "请选择 .xlsx 或 .csv 文件"}}}
	}
	r, err := sheets.Open(bytes.NewReader(up.Content), int64(len(up.Content)), up.FileName)
	if err != nil {
		return nil, fileProblem(err)
	}
	header := r.Header()
	_, err = sheets.MapColumns(form, header)
	r.Close()
	if err != nil {
		return nil, fileProblem(err)
	}
	now := s.now()
	j := &listJob{s: s, actor: actor, up: up, def: def, list: l, form: form, header: header, created: now,
		seen: map[string]int{}, households: map[int]*startedCase{}, roads: map[string][]string{}}
	err = s.inTx(ctx, func(tx *ent.Tx) error {
		row, err := tx.ListImport.Create().SetDepartment(l.Department).SetWorkflow(def.ID).SetForm(form.ID).
			SetFormVersion(form.Version).SetPeriod(up.Period).SetFileName(storable(up.FileName)).SetHeader(storableAll(header)).
			SetStatus(workflows.ImportRunning).SetCreatedBy(actor.Username).SetLocality(actor.Locality).
			SetCreatedAt(now).Save(ctx)
		if err != nil {
			return fmt.Errorf("record list import: %w", err)
		}
		j.id, j.row = row.ID, row
		return s.audit(ctx, tx, actor, auditEntry{kind: "import_list", locality: actor.Locality,
			trigger: workflows.TriggerImportList, object: fmt.Sprintf("list_import:%d", row.ID)})
	})
	if err != nil {
		return nil, err
	}
	return j, nil
}

// fileProblem turns a file or header the list reader refused into the
// uploader's message.
func fileProblem(err error) error {
	var fe *sheets.FileError
	var he *sheets.HeaderError
	switch {
	case errors.As(err, &fe):
		return &workflows.Error{Code: workflows.Invalid, Message: fe.Message,
			Fields: forms.FieldErrors{{Field: "file", Message: fe.Message}}}
	case errors.As(err, &he):
		return &workflows.Error{Code: workflows.Invalid, Message: "名单的表头与模板不符：" + he.Error(),
			Fields: forms.FieldErrors{{Field: "file", Message: he.Error()}}}
	}
	return fmt.Errorf("read list: %w", err)
}

func (j *listJob) open() (*sheets.Reader, *sheets.Columns, error) {
	r, err := sheets.Open(bytes.NewReader(j.up.Content), int64(len(j.up.Content)), j.up.FileName)
	if err != nil {
		return nil, nil, fmt.Errorf("reopen list %d: %w", j.id, err)
	}
	cols, err := sheets.MapColumns(j.form, r.Header())
	if err != nil {
		r.Close()
		return nil, nil, fmt.Errorf("map columns of list %d: %w", j.id, err)
	}
	return r, cols, nil
}

// run processes the rows batch by batch. The progress bar follows how far
// through the file the reader is, so the file is read once.
func (j *listJob) run(ctx context.Context) error {
	r, cols, err := j.open()
	if err != nil {
		return err
	}
	defer r.Close()
	// The file is read one batch ahead on a goroutine of its own: parsing
	// the next rows overlaps the database work of the current ones.
	ctx, cancel := context.WithCancel(ctx)
	batches := make(chan rowBatch, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		readBatches(ctx, r, batches)
	}()
	// The reader must be gone before r closes (deferred above).
	defer func() {
		cancel()
		<-done
	}()
	for b := range batches {
		if b.err != nil {
			return fmt.Errorf("read list %d: %w", j.id, b.err)
		}
		if err := j.batch(ctx, cols, b.rows, b.percent); err != nil {
			return err
		}
	}
	now := j.s.now()
	row, err := j.s.client.ListImport.UpdateOneID(j.id).SetStatus(workflows.ImportDone).SetPercent(100).
		SetTotalRows(j.row.ProcessedRows).SetFinishedAt(now).Save(ctx)
	if err != nil {
		return fmt.Errorf("finish list %d: %w", j.id, err)
	}
	j.row = row
	return nil
}

// rowBatch is up to listBatch rows of a list, with how far through the
// file they reach, or why reading stopped.
type rowBatch struct {
	rows    []sheets.Row
	percent int
	err     error
}

// readBatches sends the rows of r in batches and closes out at the end of
// the file, after an error, or when ctx is done.
func readBatches(ctx context.Context, r *sheets.Reader, out chan<- rowBatch) {
	defer close(out)
	send := func(b rowBatch) bool {
		select {
		case out <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	batch := make([]sheets.Row, 0, listBatch)
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			if len(batch) > 0 {
				// Until the last batch commits the bar stops short of 100.
				send(rowBatch{rows: batch, percent: 99})
			}
			return
		}
		if err != nil {
			send(rowBatch{err: err})
			return
		}
		batch = append(batch, row)
		if len(batch) == listBatch {
			if !send(rowBatch{rows: batch, percent: min(99, int(r.Progress()*100))}) {
				return
			}
			batch = make([]sheets.Row, 0, listBatch)
		}
	}
}

// fail marks the import failed; the rows committed before stay.
func (j *listJob) fail(ctx context.Context, msg string) {
	now := j.s.now()
	err := j.s.client.ListImport.UpdateOneID(j.id).SetStatus(workflows.ImportFailed).SetMessage(msg).
		SetFinishedAt(now).Exec(context.WithoutCancel(ctx))
	if err != nil {
		j.s.log.Error("mark list import failed", "import", j.id, "err", err)
	}
	j.row.Status, j.row.Message, j.row.FinishedAt = workflows.ImportFailed, msg, &now
}

func (j *listJob) info() workflows.ListImport {
	return toListImport(j.row, listTitle(j.list, j.form))
}

// listRow is one row of a batch on its way to a case.
type listRow struct {
	row     sheets.Row
	values  forms.Values
	id      string // 身份证号, upper case
	h       *ent.Household
	def     *workflows.Definition
	tr      *workflows.Transition
	started *startedCase // the case the row starts
}

// wrote records the id the row's new case was given, for the rows of the
// file that come to it later.
func (lr *listRow) wrote(caseID int) {
	lr.started.c = openCase{id: caseID, state: lr.tr.To, locality: lr.h.Locality, title: lr.def.Title}
}

// batch checks, matches and starts one batch of rows in one transaction.
func (j *listJob) batch(ctx context.Context, cols *sheets.Columns, rows []sheets.Row, percent int) error {
	now := j.s.now()
	var problems []*ent.ListProblemCreate
	problem := func(tx *ent.Tx, r sheets.Row, kind, msg string) {
		problems = append(problems, tx.ListProblem.Create().SetImportID(j.id).SetLine(r.Line).SetKind(kind).
			SetCells(fitCells(r.Cells, len(j.header))).SetMessage(msg))
	}
	return j.s.inTx(ctx, func(tx *ent.Tx) error {
		problems = problems[:0]
		var ok []*listRow
		var dups, opens int
		for _, r := range rows {
			values, errs := j.form.Check(cols.Values(r), forms.Context{Now: now})
			if len(errs) > 0 {
				problem(tx, r, workflows.ProblemError, sheets.Reason(j.form, errs))
				continue
			}
			v, _ := values.Get(j.list.MatchField())
			id, _ := v.(string)
			id = strings.ToUpper(id)
			if first, dup := j.seen[id]; dup {
				dups++
				problem(tx, r, workflows.ProblemSkip, fmt.Sprintf("与第%d行的身份证号相同，未重复生成", first))
				continue
			}
			j.seen[id] = r.Line
			ok = append(ok, &listRow{row: r, values: values, id: id})
		}
		if err := j.match(ctx, tx, ok); err != nil {
			return err
		}
		done, err := j.previous(ctx, tx, ok)
		if err != nil {
			return err
		}
		open, err := j.openCases(ctx, tx, ok)
		if err != nil {
			return err
		}
		var start []*listRow
		var warnings []listWarning
		for _, lr := range ok {
			switch {
			case lr.h == nil:
				problem(tx, lr.row, workflows.ProblemError, "农户信息库中没有该身份证号（户主或家庭成员）")
			case done[lr.id]:
				dups++
				problem(tx, lr.row, workflows.ProblemSkip, "本期名单已导入过该身份证号")
			case j.households[lr.h.ID] != nil:
				first := j.households[lr.h.ID]
				opens++
				warnings = append(warnings, listWarning{listRow: lr, c: &first.c})
				problem(tx, lr.row, workflows.ProblemSkip,
					fmt.Sprintf("同户已由第%d行生成核实任务，本行已记入该事项", first.line))
			case open[lr.h.ID] != nil:
				// The warning still reaches whoever works the household's
				// case: it is recorded there rather than started again.
				oc := open[lr.h.ID]
				if ok, err := j.mayRecord(lr); err != nil {
					return err
				} else if !ok {
					problem(tx, lr.row, workflows.ProblemError, notInCounty)
					continue
				}
				opens++
				warnings = append(warnings, listWarning{listRow: lr, c: oc})
				problem(tx, lr.row, workflows.ProblemSkip,
					fmt.Sprintf("该户已有办理中的「%s」（事项 %d），预警已记入该事项", oc.title, oc.id))
			default:
				if msg, err := j.decide(lr, now); err != nil {
					return err
				} else if msg != "" {
					problem(tx, lr.row, workflows.ProblemError, msg)
					continue
				}
				lr.started = &startedCase{line: lr.row.Line}
				j.households[lr.h.ID] = lr.started
				start = append(start, lr)
			}
		}
		if err := j.write(ctx, tx, start, warnings, now); err != nil {
			return err
		}
		// Rows are judged in passes; the error sheet lists them by line.
		slices.SortStableFunc(problems, func(a, b *ent.ListProblemCreate) int {
			la, _ := a.Mutation().Line()
			lb, _ := b.Mutation().Line()
			return la - lb
		})
		for i := 0; i < len(problems); i += insertRows {
			if err := tx.ListProblem.CreateBulk(problems[i:min(i+insertRows, len(problems))]...).Exec(ctx); err != nil {
				return fmt.Errorf("record problems of list %d: %w", j.id, err)
			}
		}
		errs := len(problems) - dups - opens
		row, err := tx.ListImport.UpdateOneID(j.id).AddProcessedRows(len(rows)).AddStarted(len(start)).
			AddDuplicates(dups).AddOpenCases(opens).AddProblems(errs).SetPercent(percent).Save(ctx)
		if err != nil {
			return fmt.Errorf("record progress of list %d: %w", j.id, err)
		}
		j.row = row
		return nil
	})
}

// fitCells cuts or pads a row's cells to the header's width, as the error
// sheet shows them under the header.
func fitCells(cells []string, width int) []string {
	out := make([]string, width)
	copy(out, cells)
	return storableAll(out)
}

// storable is s as both databases store it alike: PostgreSQL refuses
// invalid UTF-8 and U+0000 in text and jsonb, which SQLite keeps. For text
// shown back as it came (a file's name, header and cells), not for values.
func storable(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// storableAll applies storable to each of ss, in place.
func storableAll(ss []string) []string {
	for i, s := range ss {
		ss[i] = storable(s)
	}
	return ss
}

// match finds each row's household: by the head's 身份证号, else by a
// member's.
func (j *listJob) match(ctx context.Context, tx *ent.Tx, rows []*listRow) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, len(rows))
	for i, lr := range rows {
		ids[i] = lr.id
	}
	heads, err := tx.Household.Query().Where(household.IDNumberIn(ids...)).All(ctx)
	if err != nil {
		return fmt.Errorf("match heads of list %d: %w", j.id, err)
	}
	byID := make(map[string]*ent.Household, len(heads))
	for _, h := range heads {
		byID[h.IDNumber] = h
	}
	var rest []string
	for _, lr := range rows {
		if byID[lr.id] == nil {
			rest = append(rest, lr.id)
		}
	}
	if len(rest) > 0 {
		// In member order: when households share a member's number, the
		// first registered wins on both databases, not the first in the
		// table's physical order.
		ms, err := tx.Member.Query().Where(member.IDNumberIn(rest...)).Order(ent.Asc(member.FieldID)).
			Select(member.FieldIDNumber, member.FieldHouseholdID).All(ctx)
		if err != nil {
			return fmt.Errorf("match members of list %d: %w", j.id, err)
		}
		hids := make([]int, 0, len(ms))
		for _, m := range ms {
			hids = append(hids, m.HouseholdID)
		}
		hs, err := tx.Household.Query().Where(household.IDIn(hids...)).All(ctx)
		if err != nil {
			return fmt.Errorf("load households of list %d: %w", j.id, err)
		}
		byHousehold := make(map[int]*ent.Household, len(hs))
		for _, h := range hs {
			byHousehold[h.ID] = h
		}
		for _, m := range ms {
			if h := byHousehold[m.HouseholdID]; h != nil && byID[m.IDNumber] == nil {
				byID[m.IDNumber] = h
			}
		}
	}
	for _, lr := range rows {
		lr.h = byID[lr.id]
	}
	return nil
}

// previous returns the 身份证号 of rows already imported for the
// department and period.
func (j *listJob) previous(ctx context.Context, tx *ent.Tx, rows []*listRow) (map[string]bool, error) {
	ids := make([]string, 0, len(rows))
	for _, lr := range rows {
		if lr.h != nil {
			ids = append(ids, lr.id)
		}
	}
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	got, err := tx.ListEntry.Query().Where(listentry.Department(j.list.Department), listentry.Period(j.up.Period),
		listentry.IDNumberIn(ids...)).Select(listentry.FieldIDNumber).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("check earlier uploads of list %d: %w", j.id, err)
	}
	for _, id := range got {
		out[id] = true
	}
	return out, nil
}

// openCase is a household's open case on the road a list's workflow
// starts (openCases).
type openCase struct {
	id                     int
	state, locality, title string
}

// openCases returns, by household, the open case of rows whose household
// is already on the road the list's workflow starts (Service.road): a
// check of this or another department, the identification it refers to,
// monitoring, exit. Such a row starts nothing; its warning is recorded on
// that case (write).
func (j *listJob) openCases(ctx context.Context, tx *ent.Tx, rows []*listRow) (map[int]*openCase, error) {
	hids := make([]int, 0, len(rows))
	for _, lr := range rows {
		if lr.h != nil {
			hids = append(hids, lr.h.ID)
		}
	}
	out := map[int]*openCase{}
	if len(hids) == 0 {
		return out, nil
	}
	// The workflow is compared here rather than in SQL: with it in the
	// WHERE, an unanalyzed SQLite chose the (workflow, version) index and
	// read every case the list had started so far, 60 ms a batch by the end
	// of a county's list, where the household's own few cases take 4 ms.
	got, err := tx.Casefile.Query().Where(casefile.HouseholdIDIn(hids...), casefile.Final(false)).
		Order(ent.Asc(casefile.FieldID)).
		Select(casefile.FieldHouseholdID, casefile.FieldWorkflow, casefile.FieldWorkflowVersion,
			casefile.FieldState, casefile.FieldLocality).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("check open cases of list %d: %w", j.id, err)
	}
	if len(got) == 0 {
		return out, nil
	}
	byHousehold := map[int][]*ent.Casefile{}
	for _, c := range got {
		byHousehold[c.HouseholdID] = append(byHousehold[c.HouseholdID], c)
	}
	for _, lr := range rows {
		if lr.h == nil || out[lr.h.ID] != nil || len(byHousehold[lr.h.ID]) == 0 {
			continue
		}
		road, err := j.road(lr.h.LocalityPath)
		if err != nil {
			return nil, err
		}
		for _, c := range byHousehold[lr.h.ID] {
			if !slices.Contains(road, c.Workflow) {
				continue
			}
			title := c.Workflow
			if def, err := j.s.reg.Workflow(c.Workflow, c.WorkflowVersion); err == nil {
				title = def.Title
			}
			out[lr.h.ID] = &openCase{id: c.ID, state: c.State, locality: c.Locality, title: title}
			break
		}
	}
	return out, nil
}

// road is Service.road for the list's workflow in a village, kept for the
// job: a county has a few hundred villages and a list many rows.
func (j *listJob) road(localityPath string) ([]string, error) {
	if ids, ok := j.roads[localityPath]; ok {
		return ids, nil
	}
	def, err := j.s.reg.forHousehold(j.up.Workflow, localityPath)
	if err != nil {
		return nil, fmt.Errorf("list %d: %w", j.id, err)
	}
	ids, err := j.s.road(j.up.Workflow, def, localityPath)
	if err != nil {
		return nil, fmt.Errorf("list %d: %w", j.id, err)
	}
	j.roads[localityPath] = ids
	return ids, nil
}

// notInCounty refuses a row whose household the liaison's list may not
// reach.
const notInCounty = "该户不在本县，不能由本部门的名单导入"

// mayRecord reports whether the liaison may record the row on its
// household's case: the question decide's StartFromList asks, for the
// workflow as it applies in the household's village.
func (j *listJob) mayRecord(lr *listRow) (bool, error) {
	def, err := j.s.reg.forHousehold(j.up.Workflow, lr.h.LocalityPath)
	if err != nil {
		return false, fmt.Errorf("list %d: %w", j.id, err)
	}
	return j.s.eng().Auth.MayImportList(j.actor.Username, def.ID, j.list.Department, lr.h.Locality), nil
}

// listWarning is a row whose household already has an open case on the
// list's road, or one an earlier row of the file started; write records it
// on that case.
type listWarning struct {
	*listRow
	c *openCase
}

// startedCase is the case a row of the file started, kept for the rest of
// the file by household: small, as a county's list starts 100,000.
type startedCase struct {
	line int
	c    openCase // filled in once the batch's cases are written
}

// listLineObject names a line of a list import in an event's object.
func listLineObject(importID, line int) string {
	return fmt.Sprintf("list_import:%d:%d", importID, line)
}

// decide asks the engine to start the household's case: the variant that
// covers the household, with the year's params. A row the liaison may not
// act on (a household outside their county) gets a message.
func (j *listJob) decide(lr *listRow, now time.Time) (string, error) {
	def, err := j.s.reg.forHousehold(j.up.Workflow, lr.h.LocalityPath)
	if err != nil {
		return "", err
	}
	tr, err := j.s.eng().StartFromList(workflows.Snapshot{Definition: def, Locality: lr.h.Locality,
		Params: def.ParamsFor(now)}, j.actor, j.list.Department, now)
	var we *workflows.Error
	switch {
	case errors.As(err, &we) && we.Code == workflows.Forbidden:
		return notInCounty, nil
	case errors.As(err, &we):
		return we.Message, nil
	}
	if err != nil {
		return "", err
	}
	lr.def, lr.tr = def, tr
	return "", nil
}

// write writes the rows that start cases — case, task, the row as the
// case's first submission, list entry and a start event — and the warnings,
// recorded on the household's open case: the row as a submission in the
// case's state, list entry and a list_warning event that leaves the case's
// state and version. Each table's rows go in as multi-row inserts.
func (j *listJob) write(ctx context.Context, tx *ent.Tx, start []*listRow, warnings []listWarning, now time.Time) error {
	if len(start)+len(warnings) == 0 {
		return nil
	}
	if j.s.db.Dialect == dialect.Postgres {
		return j.writePostgres(ctx, tx, start, warnings, now)
	}
	return j.writeSQLite(ctx, tx, start, warnings, now)
}

// ListImport implements workflows.Service.
func (s *Service) ListImport(ctx context.Context, actor workflows.User, id int) (workflows.ListImport, error) {
	row, err := s.client.ListImport.Get(ctx, id)
	if ent.IsNotFound(err) {
		return workflows.ListImport{}, workflows.Errorf(workflows.NotFound, "导入记录不存在")
	}
	if err != nil {
		return workflows.ListImport{}, fmt.Errorf("load list import %d: %w", id, err)
	}
	if !s.maySeeImport(actor, row) {
		return workflows.ListImport{}, forbidden()
	}
	return toListImport(row, s.importTitle(row)), nil
}

// maySeeImport: the department's liaisons of the county, and the county's
// own cadres and administrators.
func (s *Service) maySeeImport(actor workflows.User, row *ent.ListImport) bool {
	if actor.Role == roles.Liaison {
		return actor.Department == row.Department && actor.Locality == row.Locality
	}
	return (actor.Role == roles.County || actor.Role == roles.Admin) && s.auth.MaySee(actor.Username, row.Locality)
}

func (s *Service) importTitle(row *ent.ListImport) string {
	if def, err := s.reg.LatestWorkflow(row.Workflow); err == nil {
		if l := def.List(row.Department); l != nil {
			if form, err := s.reg.Form(row.Form); err == nil {
				return listTitle(l, form)
			}
		}
	}
	return row.Form
}

// ListImports implements workflows.Service: a liaison's department's
// imports, or all of a county cadre's county, newest first.
func (s *Service) ListImports(ctx context.Context, actor workflows.User, limit int) ([]workflows.ListImport, error) {
	q := s.client.ListImport.Query()
	switch {
	case actor.Role == roles.Liaison:
		q = q.Where(listimport.Department(actor.Department), listimport.Locality(actor.Locality))
	case actor.Role == roles.County || actor.Role == roles.Admin:
		q = q.Where(listimport.Locality(actor.Locality))
	default:
		return nil, nil
	}
	rows, err := q.Order(ent.Desc(listimport.FieldID)).Limit(limit).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list imports: %w", err)
	}
	out := make([]workflows.ListImport, len(rows))
	for i, r := range rows {
		out[i] = toListImport(r, s.importTitle(r))
	}
	return out, nil
}

// ListProblems implements workflows.Service, reading in pages so that an
// import of 10^5 bad rows is never in memory at once.
func (s *Service) ListProblems(ctx context.Context, actor workflows.User, id int, fn func(workflows.ListProblem) error) error {
	if _, err := s.ListImport(ctx, actor, id); err != nil {
		return err
	}
	const page = 2000
	after := 0
	for {
		rows, err := s.client.ListProblem.Query().Where(listproblem.ImportID(id), listproblem.IDGT(after)).
			Order(ent.Asc(listproblem.FieldID)).Limit(page).All(ctx)
		if err != nil {
			return fmt.Errorf("read problems of list %d: %w", id, err)
		}
		for _, r := range rows {
			if err := fn(workflows.ListProblem{Line: r.Line, Kind: r.Kind, Cells: r.Cells, Message: r.Message}); err != nil {
				return err
			}
			after = r.ID
		}
		if len(rows) < page {
			return nil
		}
	}
}

func toListImport(r *ent.ListImport, title string) workflows.ListImport {
	out := workflows.ListImport{ID: r.ID, Department: r.Department, DepartmentTitle: workflows.DepartmentTitle(r.Department),
		Workflow: r.Workflow, Form: r.Form, Title: title, Period: r.Period, FileName: r.FileName, Status: r.Status,
		Message: r.Message, Header: r.Header, Total: r.TotalRows, Processed: r.ProcessedRows, Started: r.Started,
		Duplicates: r.Duplicates, OpenCases: r.OpenCases, Problems: r.Problems, PercentDone: r.Percent, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt}
	if r.FinishedAt != nil {
		out.FinishedAt = *r.FinishedAt
	}
	return out
}

// failInterrupted marks imports left running by a stopped process as
// failed: their rows up to the last committed batch stay, and uploading the
// same list again starts only the rest.
func (s *Service) failInterrupted(ctx context.Context) error {
	err := s.client.ListImport.Update().Where(listimport.Status(workflows.ImportRunning)).
		SetStatus(workflows.ImportFailed).SetMessage("导入因服务重启而中断：请重新上传同一名单，已导入的行不会重复").
		SetFinishedAt(s.now()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark interrupted list imports: %w", err)
	}
	return nil
}
