package forms

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// docStubs define what the fragments of docs/forms.md refer to without
// defining it, the way the surrounding form would.
var docStubs = []struct{ name, field string }{
	{"checker1", "{name: checker1, type: text, label: 核实人一}"},
	{"wage", "{name: wage, type: money, label: 工资性收入}"},
	{"business", "{name: business, type: money, label: 经营性收入}"},
	{"property", "{name: property, type: money, label: 财产性收入}"},
	{"transfer", "{name: transfer, type: money, label: 转移性收入}"},
	{"production_cost", "{name: production_cost, type: money, label: 生产经营支出}"},
	{"medical_selfpay", "{name: medical_selfpay, type: money, label: 合规自付医疗支出}"},
	{"members", "{name: members, type: repeat, label: 成员, fields: [{name: labour, type: select, label: 劳动技能, choices: labour}]}"},
	{"per_capita", "{name: per_capita, type: money, label: 人均纯收入}"},
	{"housing_grade", "{name: housing_grade, type: select, label: 住房安全等级, choices: [A, B, C, D]}"},
}

// TestDocsExamplesParse parses every YAML example of docs/forms.md: whole
// definitions as they are, fragments inside a form with the fields they
// refer to.
func TestDocsExamplesParse(t *testing.T) {
	doc, err := os.ReadFile("../docs/forms.md")
	if err != nil {
		t.Fatalf("read docs/forms.md: %v", err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 8 {
		t.Fatalf("found %d YAML examples in docs/forms.md, want at least 8", len(blocks))
	}
	header := "id: doc\ntitle: 文档示例\nparams:\n  income_line: 6000\n"
	stubChoices := "choices:\n  school: [非在校生, 小学]\n"
	defined := regexp.MustCompile(`name: (\w+)`)
	for i, m := range blocks {
		block := m[1]
		var src string
		switch {
		case strings.HasPrefix(block, "id:"):
			src = block
		case strings.HasPrefix(block, "choices:"):
			src = header + block
		default:
			names := map[string]bool{}
			for _, n := range defined.FindAllStringSubmatch(block, -1) {
				names[n[1]] = true
			}
			var stubs strings.Builder
			for _, s := range docStubs {
				if !names[s.name] {
					stubs.WriteString("  - " + s.field + "\n")
				}
			}
			src = header + stubChoices + "fields:\n" + stubs.String() + indentFields(block)
		}
		t.Run(firstLine(block), func(t *testing.T) {
			if _, err := Parse("forms.md", []byte(src)); err != nil {
				t.Errorf("example %d of docs/forms.md does not parse:\n%v\n--- source ---\n%s", i+1, err, src)
			}
		})
	}
}

// indentFields puts a fragment written at any indentation under fields:.
func indentFields(block string) string {
	if strings.HasPrefix(block, "  ") {
		return block
	}
	lines := strings.Split(block, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "  " + l
		}
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
