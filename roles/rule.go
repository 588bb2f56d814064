package roles

import "fmt"

// Rule is one permission a workflow definition implies: Role may fire
// Trigger in State. State "" with TriggerStart is starting a case;
// TriggerCompleteTask (liaisons only) is completing the department tasks of
// State.
type Rule struct{ Role, State, Trigger string }

// object is the Casbin object of a workflow step: "identification" to
// start a case, "identification/county_decision" for a state. Names are
// identifiers, so the slash cannot be forged.
func object(workflow, state string) string {
	if state == "" {
		return workflow
	}
	return workflow + "/" + state
}

// ruleRow checks r and returns its Casbin row (role, object, trigger). It
// returns an *InvalidError for a rule the model must not hold: a liaison
// firing a trigger, anyone but a liaison completing department tasks, a
// start that is not at the beginning.
func ruleRow(workflow string, r Rule) ([]string, error) {
	invalid := func(format string, args ...any) error {
		return &InvalidError{Message: fmt.Sprintf("流程 %s 的权限规则 %s/%s/%s：", workflow, r.Role, r.State, r.Trigger) +
			fmt.Sprintf(format, args...)}
	}
	switch {
	case !knownRole(r.Role):
		return nil, invalid("未知角色")
	case !validName(r.Trigger):
		return nil, invalid("操作名不合法")
	case r.State != "" && !validName(r.State):
		return nil, invalid("环节名不合法")
	case r.State == "" && r.Trigger != TriggerStart && r.Trigger != TriggerImportList:
		return nil, invalid("未指定环节的规则只能是发起（%s）或导入名单（%s）", TriggerStart, TriggerImportList)
	case r.Trigger == TriggerImportList && (r.State != "" || r.Role != Liaison):
		return nil, invalid("导入名单的规则只能给联络员，且不指定环节")
	case r.Role == Liaison && r.Trigger != TriggerCompleteTask && r.Trigger != TriggerImportList:
		return nil, invalid("联络员只能办理部门任务和导入本部门名单，不能推进流程")
	case r.Trigger == TriggerCompleteTask && r.Role != Liaison:
		return nil, invalid("部门任务只能由联络员办理")
	}
	return []string{r.Role, object(workflow, r.State), r.Trigger}, nil
}
