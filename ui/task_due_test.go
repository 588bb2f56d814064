package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"
)

// A step without a time limit draws no 期限 line, in the inbox and on the
// case page; a step with one shows its date.
func TestTaskDueLine(t *testing.T) {
	tests := []struct {
		name    string
		page    templ.Component
		want    string // "" when no 期限 may appear
		wantNot string
	}{
		{"InboxWithoutLimit", taskListPage(taskListView{Items: []taskItem{{Href: "/cases/1", Household: "张三", Step: "农户申请"}}}), "", "期限"},
		{"InboxWithLimit", taskListPage(taskListView{Items: []taskItem{{Href: "/cases/1", Household: "张三", Step: "入户核实", Due: "2026-10-10"}}}), "期限：2026-10-10", ""},
		{"CaseWithoutLimit", caseTaskLines(caseTask{Who: "村级", Step: "农户申请", Status: "待办"}), "", "期限"},
		{"CaseWithLimit", caseTaskLines(caseTask{Who: "村级", Step: "入户核实", Status: "待办", Due: "2026-10-10"}), "期限：2026-10-10 · 待办", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.page.Render(context.Background(), &buf); err != nil {
				t.Fatalf("render: %v", err)
			}
			html := buf.String()
			if tt.want != "" && !strings.Contains(html, tt.want) {
				t.Errorf("expected %q in %s", tt.want, html)
			}
			if tt.wantNot != "" && strings.Contains(html, tt.wantNot) {
				t.Errorf("expected no %q in %s", tt.wantNot, html)
			}
		})
	}
}
