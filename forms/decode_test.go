package forms

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"testing"
)

func TestDecodeValues(t *testing.T) {
	d := sampleDefinition(t)
	tests := []struct {
		name string
		post map[string][]string
		want map[string]any
	}{
		{
			name: "ScalarsAsText",
			post: map[string][]string{"head_id": {"11010519491231002X"}, "size": {"3"}, "income": {"1234.5"}},
			want: map[string]any{"head_id": "11010519491231002X", "size": "3", "income": "1234.5", "agreed": false},
		},
		{
			name: "LastNonEmptyValueWins",
			post: map[string][]string{"head_name": {"张三", "李四", ""}},
			want: map[string]any{"head_name": "李四", "agreed": false},
		},
		{
			name: "CheckboxOnIsTrue",
			post: map[string][]string{"agreed": {"on"}},
			want: map[string]any{"agreed": true},
		},
		{
			name: "HiddenFalseThenCheckbox",
			post: map[string][]string{"agreed": {"false", "true"}},
			want: map[string]any{"agreed": true},
		},
		{
			name: "UncheckedBoxIsFalse",
			post: map[string][]string{},
			want: map[string]any{"agreed": false},
		},
		{
			name: "MultiselectTakesAllValues",
			post: map[string][]string{"risks": {"因病", "", "因残"}},
			want: map[string]any{"risks": []string{"因病", "因残"}, "agreed": false},
		},
		{
			name: "RowsInIndexOrderGapsClosed",
			post: map[string][]string{
				"members[5].name": {"丙"}, "members[0].name": {"甲"}, "members[2].name": {"乙"},
				"members[2].age": {"30"},
			},
			want: map[string]any{"agreed": false, "members": []any{
				map[string]any{"name": "甲"},
				map[string]any{"name": "乙", "age": "30"},
				map[string]any{"name": "丙"},
			}},
		},
		{
			name: "BlankRowKept",
			post: map[string][]string{"members[0].name": {""}},
			want: map[string]any{"agreed": false, "members": []any{map[string]any{"name": ""}}},
		},
		{
			name: "UnknownAndMalformedNamesIgnored",
			post: map[string][]string{
				"evil": {"x"}, "members.name": {"x"}, "members[x].name": {"x"}, "members[-1].name": {"x"},
				"members[0].nope": {"x"}, "head_name.x": {"x"}, "head_name[0]": {"x"}, "members": {"x"},
				"per_capita": {"1"}, "members[0].head": {"on"},
			},
			want: map[string]any{"agreed": false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.DecodeValues(tt.post)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("DecodeValues(%v)\n = %#v\nwant %#v", tt.post, got, tt.want)
			}
		})
	}
}

func TestDecodeValuesRowCheckbox(t *testing.T) {
	d, err := Parse("rows.yaml", []byte(`id: rows
title: 行
fields:
  - name: members
    type: repeat
    label: 成员
    fields:
      - {name: name, type: text, label: 姓名}
      - {name: insured, type: boolean, label: 参保}
`))
	if err != nil {
		t.Fatal(err)
	}
	got := d.DecodeValues(map[string][]string{
		"members[0].name": {"甲"}, "members[0].insured": {"on"}, "members[1].name": {"乙"},
	})
	want := map[string]any{"members": []any{
		map[string]any{"name": "甲", "insured": true},
		map[string]any{"name": "乙", "insured": false},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DecodeValues = %#v, want %#v", got, want)
	}
}

func TestDecodeValuesRoundTrip(t *testing.T) {
	d := sampleDefinition(t)
	in := validSample()
	in["risks"] = []any{"因病", "因学"}
	in["note"] = "多行\n备注"
	want, errs := d.Validate(in, nil)
	if errs != nil {
		t.Fatalf("sample is invalid: %v", errs)
	}
	// Rows posted at every third index, the way a page that deleted rows
	// leaves them.
	post := encodePost(d.Fields, want, "", 3)
	got, errs := d.Validate(d.DecodeValues(post), nil)
	if errs != nil {
		t.Fatalf("round trip errors: %v\npost: %v", errs, post)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("after posting and decoding:\n got %v\nwant %v\npost %v", got, want, post)
	}
}

// encodePost renders normalized values the way an HTML form posts them:
// money in yuan, checkboxes "on" when checked and absent otherwise, one
// entry per chosen option. Rows go to index i*stride.
func encodePost(fields []*Field, values map[string]any, prefix string, stride int) map[string][]string {
	post := map[string][]string{}
	for _, f := range fields {
		v, ok := values[f.Name]
		if !ok || f.ReadOnly {
			continue
		}
		name := prefix + f.Name
		switch x := v.(type) {
		case int64:
			if f.Type == TypeMoney {
				post[name] = []string{fmt.Sprintf("%d.%02d", x/100, abs(x%100))}
			} else {
				post[name] = []string{strconv.FormatInt(x, 10)}
			}
		case bool:
			if x {
				post[name] = []string{"on"}
			}
		case []string:
			post[name] = x
		case []map[string]any:
			for i, row := range x {
				for k, vs := range encodePost(f.Fields, row, fmt.Sprintf("%s[%d].", name, i*stride), stride) {
					post[k] = vs
				}
			}
		case string:
			post[name] = []string{x}
		}
	}
	return post
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func TestSplitIndex(t *testing.T) {
	tests := []struct {
		in      string
		name    string
		index   int
		indexed bool
	}{
		{"members[0]", "members", 0, true},
		{"members[12]", "members", 12, true},
		{"members", "members", 0, false},
		{"members[]", "members[]", 0, false},
		{"members[-1]", "members[-1]", 0, false},
		{"members[1", "members[1", 0, false},
	}
	for _, tt := range tests {
		name, index, indexed := splitIndex(tt.in)
		if name != tt.name || index != tt.index || indexed != tt.indexed {
			t.Errorf("splitIndex(%q) = %q, %d, %v; want %q, %d, %v", tt.in, name, index, indexed, tt.name, tt.index, tt.indexed)
		}
	}
}

func TestDecodeValuesDeterministic(t *testing.T) {
	d := sampleDefinition(t)
	post := map[string][]string{}
	for i := 0; i < 30; i++ {
		post[fmt.Sprintf("members[%d].name", i*7)] = []string{strconv.Itoa(i)}
	}
	rows := d.DecodeValues(post)["members"].([]any)
	names := make([]int, len(rows))
	for i, r := range rows {
		names[i], _ = strconv.Atoi(r.(map[string]any)["name"].(string))
	}
	if !sort.IntsAreSorted(names) || len(names) != 30 {
		t.Errorf("rows = %v, want 30 rows in index order", names)
	}
}
