package forms

import (
	"encoding/json"
	"strings"
	"testing"
)

const attachmentYAML = `id: photos
title: 附件
fields:
  - {name: house, type: photo, label: 房屋照片, required: true}
  - {name: sign, type: signature, label: 户主签字}
  - {name: proof, type: file, label: 证明材料, accept: [application/pdf, .jpg], max_size: 1KB}
  - {name: big, type: boolean, label: 大图, calculate: house.size > 1000}
`

func attachment(name, typ string, size int64) map[string]any {
	return map[string]any{"id": "a1", "name": name, "type": typ, "size": float64(size), "sha256": strings.Repeat("ab", 32)}
}

func TestAttachments(t *testing.T) {
	d, err := Parse("photos.yaml", []byte(attachmentYAML))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	house := attachment("房子.jpg", "image/jpeg", 2048)
	tests := []struct {
		name  string
		input map[string]any
		want  []FieldError
	}{
		{"ReferenceAccepted", map[string]any{"house": house}, nil},
		{"RequiredAttachment", map[string]any{"house": map[string]any{}}, []FieldError{{"house", "请填写房屋照片"}}},
		{"PhotoMustBeImage", map[string]any{"house": attachment("a.pdf", "application/pdf", 10)},
			[]FieldError{{"house", "附件类型不符合要求（可用：image/jpeg、image/png、image/webp）"}}},
		{"PhotoSizeDefaultLimit", map[string]any{"house": attachment("a.jpg", "image/jpeg", 11<<20)},
			[]FieldError{{"house", "附件过大（最大10MB）"}}},
		{"FieldSizeLimit", map[string]any{"house": house, "proof": attachment("a.pdf", "application/pdf", 2048)},
			[]FieldError{{"proof", "附件过大（最大1KB）"}}},
		{"AcceptByExtension", map[string]any{"house": house, "proof": attachment("扫描.JPG", "image/jpeg", 100)}, nil},
		{"SignatureNotSVG", map[string]any{"house": house, "sign": attachment("s.svg", "image/svg+xml", 100)},
			[]FieldError{{"sign", "附件类型不符合要求（可用：image/png、image/jpeg）"}}},
		{"DigestChecked", map[string]any{"house": map[string]any{"id": "a1", "name": "a.jpg", "type": "image/jpeg", "size": 5.0, "sha256": "xyz"}},
			[]FieldError{{"house", msgAttachment}}},
		{"NotAnObject", map[string]any{"house": 12.0}, []FieldError{{"house", msgAttachment}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := d.Validate(tt.input, nil)
			if !equalErrors(errs, tt.want) {
				t.Errorf("errors = %v, want %v", errs, tt.want)
			}
		})
	}
	t.Run("StoredAsReferenceMap", func(t *testing.T) {
		out, errs := d.Validate(map[string]any{"house": house}, nil)
		if errs != nil {
			t.Fatalf("errors: %v", errs)
		}
		ref, ok := out["house"].(map[string]any)
		if !ok || ref["size"] != int64(2048) || ref["id"] != "a1" {
			t.Fatalf("house = %#v, want the reference with size 2048", out["house"])
		}
		if out["big"] != true {
			t.Errorf("big = %v, want true: expressions read house.size", out["big"])
		}
	})
	t.Run("PostedAsJSON", func(t *testing.T) {
		text, _ := json.Marshal(house)
		in := d.DecodeValues(map[string][]string{"house": {string(text)}})
		if _, errs := d.Validate(in, nil); errs != nil {
			t.Errorf("errors = %v, want a posted JSON reference accepted", errs)
		}
	})
	t.Run("AfterJSONRoundTrip", func(t *testing.T) {
		out, _ := d.Validate(map[string]any{"house": house}, nil)
		text, _ := json.Marshal(out)
		var back map[string]any
		if err := json.Unmarshal(text, &back); err != nil {
			t.Fatal(err)
		}
		env := d.Env(back, nil)
		if env["house"].(map[string]any)["size"] != 2048 {
			t.Errorf("Env house = %#v, want size 2048 as int", env["house"])
		}
	})
}

func TestAttachmentProblems(t *testing.T) {
	tests := []struct{ name, field, path, msg string }{
		{"AcceptOnlyOnAttachments", `  - {name: a, type: text, label: 甲, accept: [.pdf]}`, "fields[0].accept", "只有 photo、signature、file"},
		{"BadAccept", `  - {name: a, type: file, label: 甲, accept: [pdf]}`, "fields[0].accept[0]", "不是文件类型"},
		{"BadMaxSize", `  - {name: a, type: file, label: 甲, max_size: lots}`, "fields[0].max_size", "max_size 应为"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("a.yaml", []byte("id: a\ntitle: 附件\nfields:\n"+tt.field+"\n"))
			assertProblem(t, err, tt.path, tt.msg)
		})
	}
}

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1024", 1024, true}, {"5MB", 5 << 20, true}, {"500kb", 500 << 10, true}, {"2 M", 2 << 20, true},
		{"0", 0, false}, {"-1", 0, false}, {"1.5MB", 0, false}, {"MB", 0, false}, {"9999999999", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseByteSize(tt.in)
			if got != tt.want && tt.ok || ok != tt.ok {
				t.Errorf("parseByteSize(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
