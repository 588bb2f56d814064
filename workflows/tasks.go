package workflows

import (
	"context"
	"time"

	"jianfu/forms"
)

// CompleteTask validates the submission of department's task in the case's
// current state. It checks, in this order: authorization (Forbidden), that
// the state has an open task of that department (Conflict), and the data
// against the fan-out's form (Invalid with Fields). The caller stores the
// completion and marks the task done.
func (e *Engine) CompleteTask(ctx context.Context, s Snapshot, actor User, department string, data map[string]any, now time.Time) (*TaskCompletion, error) {
	st, err := current(&s)
	if err != nil {
		return nil, err
	}
	if !e.Auth.MayCompleteTask(actor.Username, s.Definition.ID, st.Name, department, s.Locality) {
		return nil, errForbidden()
	}
	if st.Tasks == nil || !st.Tasks.has(department) || !hasTask(s.Tasks, department, len(st.Tasks.Routes) > 0) {
		return nil, Errorf(Conflict, "「%s」环节没有%s的任务", st.Title, DepartmentTitle(department))
	}
	for _, t := range s.Tasks {
		if t.Department == department && t.Done {
			return nil, Errorf(Conflict, "%s的任务已完成，不能重复提交", DepartmentTitle(department))
		}
	}
	sub, err := e.submit(&s, actor, st.Tasks.Form, data, s.params(), now)
	if err != nil {
		return nil, err
	}
	// The task is its department's: a form that names the department
	// (部门核查's 核查部门) must name this one, or the record would say
	// another department checked.
	if v, ok := sub.values.Get(departmentField); ok && v != nil && v != department {
		return nil, &Error{Code: Invalid, Message: "表单填写有误，请按提示修改后重新提交",
			Fields: forms.FieldErrors{{Field: departmentField, Message: "须为本任务的部门：" + DepartmentTitle(department)}}}
	}
	return &TaskCompletion{Form: sub.form, FormVersion: sub.version, Values: sub.values}, nil
}

// departmentField is the field of a department task's form that names the
// department, when the form has one.
const departmentField = "department"

// hasTask reports whether the case has a task of department in its state. A
// routed department may have got none; a fixed one always has one, even if
// the caller did not list it.
func hasTask(tasks []TaskState, department string, routed bool) bool {
	if !routed {
		return true
	}
	for _, t := range tasks {
		if t.Department == department {
			return true
		}
	}
	return false
}

// CompleteRecurring validates the record of a recurring task (the monthly
// visit) of the case's current state. It checks authorization (Forbidden),
// that the state has recurring work (Conflict) and the data against its form
// (Invalid with Fields). The case does not move; the caller stores the
// record and marks the task done.
func (e *Engine) CompleteRecurring(ctx context.Context, s Snapshot, actor User, data map[string]any, now time.Time) (*TaskCompletion, error) {
	st, err := current(&s)
	if err != nil {
		return nil, err
	}
	if !e.Auth.MayFire(actor.Username, s.Definition.ID, st.Name, TriggerRecord, s.Locality) {
		return nil, errForbidden()
	}
	if st.Recurring == nil {
		return nil, Errorf(Conflict, "「%s」环节没有定期任务", st.Title)
	}
	sub, err := e.submit(&s, actor, st.Recurring.Form, data, s.params(), now)
	if err != nil {
		return nil, err
	}
	return &TaskCompletion{Form: sub.form, FormVersion: sub.version, Values: sub.values}, nil
}
