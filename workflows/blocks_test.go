package workflows

import (
	"strings"
	"testing"
)

func TestJoinBlock(t *testing.T) {
	fixed := func(join string) *State {
		return &State{Name: "review", Tasks: &FanOut{Departments: []string{"education", "housing", "water"}, Join: join}}
	}
	routed := &State{Name: "assist", Tasks: &FanOut{Departments: []string{"rural_revitalization"},
		Routes: []Route{{Department: "health"}, {Department: "medical_insurance"}}}}
	routedCount := &State{Name: "assist", Tasks: &FanOut{Departments: []string{"rural_revitalization", "civil_affairs"},
		Join: "2", Routes: []Route{{Department: "health"}}}}
	task := func(dep string, done bool) TaskState { return TaskState{Department: dep, Done: done} }
	tests := []struct {
		name  string
		st    *State
		tasks []TaskState
		want  string // the Conflict's message; "" for none
		err   string // an internal error containing this
	}{
		{"AllDone", fixed(JoinAll), []TaskState{task("education", true), task("housing", true), task("water", true)}, "", ""},
		{"OnePending", fixed(""), []TaskState{task("education", true), task("housing", true), task("water", false)},
			"以下部门尚未完成：水利", ""},
		{"MissingRowIsPending", fixed(JoinAll), []TaskState{task("education", true), task("water", true)},
			"以下部门尚未完成：住建", ""},
		{"OtherDepartmentsDoNotCount", fixed(JoinAll), []TaskState{task("education", true), task("health", true)},
			"以下部门尚未完成：住建、水利", ""},
		{"AnyNoneDone", fixed(JoinAny), []TaskState{task("education", false)},
			"需至少1个部门完成，已完成0个；尚未完成：教育、住建、水利", ""},
		{"AnyOneDone", fixed(JoinAny), []TaskState{task("water", true)}, "", ""},
		{"CountShort", fixed("2"), []TaskState{task("education", true), task("housing", false)},
			"需至少2个部门完成，已完成1个；尚未完成：住建、水利", ""},
		{"CountReached", fixed("2"), []TaskState{task("housing", true), task("water", true)}, "", ""},
		{"RoutedWaitsForItsTasksOnly", routed, []TaskState{task("rural_revitalization", true), task("health", false)},
			"以下部门尚未完成：卫健", ""},
		{"RoutedAllDone", routed, []TaskState{task("rural_revitalization", true), task("health", true)}, "", ""},
		{"DuplicateRowOneDone", routed, []TaskState{task("rural_revitalization", true), task("health", false), task("health", true)},
			"", ""},
		{"AllDoneOutOfOrder", fixed(JoinAll), []TaskState{task("water", true), task("education", true), task("housing", true)},
			"", ""},
		{"RoutedCountAboveItsTasks", routedCount, []TaskState{task("rural_revitalization", true)},
			"需至少2个部门完成，已完成1个；尚未完成：", ""},
		{"BadQuorum", fixed("9"), nil, "", "join of state review"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := joinBlock(tt.st, tt.tasks)
			switch {
			case tt.err != "":
				if err == nil || ErrorCode(err) != Internal || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("joinBlock = %v, want an internal error containing %q", err, tt.err)
				}
			case tt.want == "":
				if err != nil {
					t.Fatalf("joinBlock = %v, want nil", err)
				}
			default:
				if ErrorCode(err) != Conflict || ErrorMessage(err) != tt.want {
					t.Fatalf("joinBlock = %v, want Conflict %q", err, tt.want)
				}
			}
		})
	}
}
