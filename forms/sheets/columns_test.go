package sheets

import (
	"errors"
	"reflect"
	"testing"
)

func TestMapColumns(t *testing.T) {
	def := parseDef(t, medicalYAML)
	tests := []struct {
		name   string
		header []string
		mapped []string // field names, in column order
		extra  []string // headers
		err    *HeaderError
		msg    string
	}{
		{
			name:   "Labels",
			header: []string{"乡镇", "村", "姓名", "身份证号", "入院日期", "自付金额"},
			mapped: []string{"name", "id_number", "admitted", "self_paid"},
			extra:  []string{"乡镇", "村"},
		},
		{
			name:   "Names",
			header: []string{"ID_Number", "name", "self_paid"},
			mapped: []string{"id_number", "name", "self_paid"},
		},
		{
			name:   "RequiredMarksAndSpaces",
			header: []string{"*姓名", "\u3000身份\n证号\u3000＊", "入院日期（必填）", "自付金额 (必填)", " 联系 电话 *"},
			mapped: []string{"name", "id_number", "admitted", "self_paid", "phone"},
		},
		{
			name:   "BlankHeaderCellsIgnored",
			header: []string{"", "姓名", " ", "身份证号"},
			mapped: []string{"name", "id_number"},
		},
		{
			name:   "MissingRequired",
			header: []string{"乡镇", "入院日期"},
			err:    &HeaderError{Missing: []string{"姓名", "身份证号"}},
			msg:    "缺少必填列：姓名、身份证号",
		},
		{
			name:   "Duplicate",
			header: []string{"姓名", "身份证号", "备注", "id_number"},
			err:    &HeaderError{Duplicated: []string{"身份证号（B列、D列）"}},
			msg:    "列重复：身份证号（B列、D列）",
		},
		{
			name:   "MissingAndDuplicate",
			header: []string{"自付金额", "自付金额", "身份证号"},
			err:    &HeaderError{Missing: []string{"姓名"}, Duplicated: []string{"自付金额（A列、B列）"}},
			msg:    "缺少必填列：姓名；列重复：自付金额（A列、B列）",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, err := MapColumns(def, tt.header)
			if tt.err != nil {
				checkHeaderError(t, err, tt.err, tt.msg)
				return
			}
			if err != nil {
				t.Fatalf("MapColumns: %v", err)
			}
			var mapped, extra []string
			for _, c := range cols.Mapped {
				mapped = append(mapped, c.Field.Name)
				if tt.header[c.Index] == "" || c.Header == "" {
					t.Errorf("column %d of %s has no header", c.Index, c.Field.Name)
				}
			}
			for _, c := range cols.Extra {
				extra = append(extra, c.Header)
				if c.Field != nil {
					t.Errorf("extra column %s has a field", c.Header)
				}
			}
			if !reflect.DeepEqual(mapped, tt.mapped) || !reflect.DeepEqual(extra, tt.extra) {
				t.Errorf("mapped %q extra %q, want %q and %q", mapped, extra, tt.mapped, tt.extra)
			}
		})
	}
}

func checkHeaderError(t *testing.T, err error, want *HeaderError, msg string) {
	t.Helper()
	var he *HeaderError
	if !errors.As(err, &he) {
		t.Fatalf("error = %v (%T), want a *HeaderError", err, err)
	}
	if !reflect.DeepEqual(he, want) {
		t.Errorf("error = %#v, want %#v", he, want)
	}
	if msg != "" && he.Error() != msg {
		t.Errorf("message = %q, want %q", he.Error(), msg)
	}
}

func TestMapColumnsFormShapes(t *testing.T) {
	tests := []struct {
		name   string
		yaml   string
		header []string
		mapped []string
		extra  []string
		err    *HeaderError
		msg    string
	}{
		{
			name: "Repeat",
			yaml: `id: f
title: 家庭
fields:
  - {name: head, type: text, label: 户主, required: true}
  - name: members
    type: repeat
    label: 成员
    fields:
      - {name: name, type: text, label: 姓名}
`,
			header: []string{"户主", "姓名"},
			err:    &HeaderError{Repeats: []string{"members"}},
			msg:    "名单不支持重复组字段：members",
		},
		{
			name: "GroupFieldsAreTopLevel",
			yaml: `id: f
title: 分组
fields:
  - name: who
    type: group
    label: 基本信息
    fields:
      - {name: name, type: text, label: 姓名, required: true}
  - {name: note, type: text, label: 备注}
`,
			header: []string{"备注", "姓名", "基本信息"},
			mapped: []string{"note", "name"},
			extra:  []string{"基本信息"},
		},
		{
			name: "AmbiguousLabel",
			yaml: `id: f
title: 夫妻
fields:
  - {name: head_name, type: text, label: 姓名, required: true}
  - {name: spouse_name, type: text, label: 姓名}
`,
			header: []string{"乡镇", "姓名"},
			err:    &HeaderError{Missing: []string{"姓名"}, Ambiguous: []string{"姓名（B列）可指 head_name、spouse_name"}},
			msg:    "缺少必填列：姓名；表头对应多个字段，请改用字段名：姓名（B列）可指 head_name、spouse_name",
		},
		{
			name: "NameBeatsLabel",
			yaml: `id: f
title: 名与标签
fields:
  - {name: code, type: text, label: 编号}
  - {name: other, type: text, label: code}
`,
			header: []string{"code"},
			mapped: []string{"code"},
		},
		{
			name: "UnfillableFieldsAreExtra",
			yaml: `id: f
title: 计算
fields:
  - {name: total, type: money, label: 费用总额, required: true}
  - {name: paid, type: money, label: 报销金额}
  - {name: self, type: money, label: 自付金额, calculate: total - paid}
  - {name: photo, type: photo, label: 照片}
`,
			header: []string{"费用总额", "报销金额", "自付金额", "照片"},
			mapped: []string{"total", "paid"},
			extra:  []string{"自付金额", "照片"},
		},
		{
			name: "RequiredWithDefaultMayBeAbsent",
			yaml: `id: f
title: 默认
fields:
  - {name: name, type: text, label: 姓名, required: true}
  - {name: source, type: select, label: 线索来源, required: true, choices: [部门预警, 乡镇排查], default: 部门预警}
  - {name: note, type: text, label: 备注, required: "source == '乡镇排查'"}
`,
			header: []string{"姓名"},
			mapped: []string{"name"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cols, err := MapColumns(parseDef(t, tt.yaml), tt.header)
			if tt.err != nil {
				checkHeaderError(t, err, tt.err, tt.msg)
				return
			}
			if err != nil {
				t.Fatalf("MapColumns: %v", err)
			}
			var mapped, extra []string
			for _, c := range cols.Mapped {
				mapped = append(mapped, c.Field.Name)
			}
			for _, c := range cols.Extra {
				extra = append(extra, c.Header)
			}
			if !reflect.DeepEqual(mapped, tt.mapped) || !reflect.DeepEqual(extra, tt.extra) {
				t.Errorf("mapped %q extra %q, want %q and %q", mapped, extra, tt.mapped, tt.extra)
			}
		})
	}
}

func TestHeaderKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"身份证号", "身份证号"},
		{" 身份证号 ", "身份证号"},
		{"\u3000身份 证号\u3000", "身份证号"},
		{"身份证号*", "身份证号"},
		{"*身份证号", "身份证号"},
		{"身份证号＊", "身份证号"},
		{"身份证号（必填）", "身份证号"},
		{"身份证号(必填)*", "身份证号"},
		{"ID_Number", "id_number"},
		{"**", ""},
		{"备注（选填）", "备注（选填）"},
	}
	for _, tt := range tests {
		if got := headerKey(tt.in); got != tt.want {
			t.Errorf("headerKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
