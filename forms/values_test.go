package forms

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// nestedYAML has a repeat inside a repeat and attachments at both levels.
const nestedYAML = `id: nested
title: 嵌套
fields:
  - {name: title, type: text, label: 标题}
  - {name: cover, type: photo, label: 封面}
  - name: visits
    type: repeat
    label: 走访
    fields:
      - {name: place, type: text, label: 地点}
      - {name: photo, type: photo, label: 照片}
      - name: people
        type: repeat
        label: 在场人员
        fields:
          - {name: who, type: text, label: 姓名}
          - {name: paid, type: money, label: 补助}
`

func TestValuesMatchTheirMap(t *testing.T) {
	nested, err := Parse("nested.yaml", []byte(nestedYAML))
	if err != nil {
		t.Fatalf("Parse(nested): %v", err)
	}
	photo := func(id string) map[string]any {
		return map[string]any{"id": id, "name": id + ".jpg", "type": "image/jpeg", "size": 10.0, "sha256": strings.Repeat("ab", 32)}
	}
	tests := []struct {
		name        string
		def         *Definition
		input       map[string]any
		want        map[string]any // nil: not checked beyond JSON
		attachments []string
	}{
		{"Sample", sampleDefinition(t), validSample(), nil, nil},
		{"Empty", nested, map[string]any{}, map[string]any{}, nil},
		{"Escapes", nested, map[string]any{"title": "<b>\"引号\"\\ & \u2028换行\n\t</b>"},
			map[string]any{"title": "<b>\"引号\"\\ & \u2028换行\n\t</b>"}, nil},
		{"EachEscapeAlone", nested, map[string]any{"title": "<"}, nil, nil},
		{"GreaterThan", nested, map[string]any{"title": "a>b"}, nil, nil},
		{"Ampersand", nested, map[string]any{"title": "甲&乙"}, nil, nil},
		{"Quote", nested, map[string]any{"title": "\"x"}, nil, nil},
		{"Backslash", nested, map[string]any{"title": "a\\b"}, nil, nil},
		{"Control", nested, map[string]any{"title": "a\x01b"}, nil, nil},
		{"LineSeparator", nested, map[string]any{"title": "a\u2029b"}, nil, nil},
		{"InvalidUTF8", nested, map[string]any{"title": "坏\xff字"}, map[string]any{"title": "坏\xff字"}, nil},
		{"NestedRows", nested, map[string]any{
			"cover": photo("c"),
			"visits": []any{
				map[string]any{"place": "河口村", "photo": photo("v1"), "people": []any{
					map[string]any{"who": "张三", "paid": "12.5"}, map[string]any{"who": "李四"}}},
				map[string]any{"place": "新华村", "photo": photo("c")},
				map[string]any{},
			}},
			map[string]any{
				"cover": photo("c"),
				"visits": []map[string]any{
					{"place": "河口村", "photo": photo("v1"), "people": []map[string]any{{"who": "张三", "paid": int64(1250)}, {"who": "李四"}}},
					{"place": "新华村", "photo": photo("c")},
					{},
				}},
			[]string{"c", "v1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals, errs := tt.def.Check(tt.input, Context{})
			if errs != nil {
				t.Fatalf("Check: %v", errs)
			}
			m := vals.Map()
			if vals.Len() != len(m) {
				t.Errorf("Len = %d, Map has %d", vals.Len(), len(m))
			}
			if tt.want != nil && !jsonEqual(t, m, tt.want) {
				t.Errorf("Map = %v, want %v", m, tt.want)
			}
			checkValuesJSON(t, vals)
			if got := vals.AttachmentIDs(); !slices.Equal(got, tt.attachments) {
				t.Errorf("AttachmentIDs = %v, want %v", got, tt.attachments)
			}
			for name, want := range m {
				if got, ok := vals.Get(name); !ok || !reflect.DeepEqual(got, want) {
					t.Errorf("Get(%q) = %v, %v; want %v", name, got, ok, want)
				}
			}
			if got, ok := vals.Get("no_such_field"); ok {
				t.Errorf("Get(no_such_field) = %v, want nothing", got)
			}
		})
	}
}

func TestValuesRows(t *testing.T) {
	d := sampleDefinition(t)
	vals, errs := d.Check(validSample(), Context{})
	if errs != nil {
		t.Fatalf("Check: %v", errs)
	}
	rows := vals.Rows("members")
	if len(rows) != 2 {
		t.Fatalf("Rows(members) has %d rows, want 2", len(rows))
	}
	if got, _ := rows[1].Get("name"); got != "张小" {
		t.Errorf("second member's name = %v, want 张小", got)
	}
	if rows := vals.Rows("head_name"); rows != nil {
		t.Errorf("Rows of a text field = %v, want nil", rows)
	}
	var zero Values
	if zero.Len() != 0 || len(zero.Map()) != 0 || zero.Rows("members") != nil || zero.AttachmentIDs() != nil {
		t.Errorf("the zero Values hold something: %v", zero.Map())
	}
	if b, err := zero.AppendJSON(nil); err != nil || string(b) != "{}" {
		t.Errorf("zero AppendJSON = %s, %v; want {}", b, err)
	}
}

// checkValuesJSON fails t unless vals write the JSON encoding/json writes
// for their map, through AppendJSON and through json.Marshal.
func checkValuesJSON(t *testing.T, vals Values) {
	t.Helper()
	want, err := json.Marshal(vals.Map())
	if err != nil {
		t.Fatalf("json.Marshal(Map): %v", err)
	}
	got, err := vals.AppendJSON([]byte("prefix"))
	if err != nil || !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Errorf("AppendJSON = %s, %v\nencoding/json gives %s", got, err, want)
	}
	if got, err := json.Marshal(vals); err != nil || !bytes.Equal(got, want) {
		t.Errorf("json.Marshal(Values) = %s, %v\nencoding/json gives %s", got, err, want)
	}
}

// jsonEqual compares two value maps as the store will hold them.
func jsonEqual(t *testing.T, a, b map[string]any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}
