package yamlnode

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// root parses src and returns its top node.
func root(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	if len(doc.Content) == 0 {
		t.Fatalf("parse %q: empty document", src)
	}
	return doc.Content[0]
}

// entries writes a mapping of scalars as "k=v k=v", in order.
func entries(n *yaml.Node) string {
	var b strings.Builder
	for i := 0; i+1 < len(n.Content); i += 2 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(n.Content[i].Value + "=" + n.Content[i+1].Value)
	}
	return b.String()
}

const sample = "a: 1\nb: two\nc: [x, y]\nd: {e: 3}\n"

func TestKeyIndex(t *testing.T) {
	tests := []struct {
		name, src, key string
		want           int
	}{
		{"First", sample, "a", 0},
		{"Later", sample, "d", 6},
		{"Missing", sample, "z", -1},
		{"ValueIsNotKey", sample, "two", -1},
		{"Sequence", "[a, b]", "a", -1},
		{"Scalar", "a", "a", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KeyIndex(root(t, tt.src), tt.key); got != tt.want {
				t.Errorf("KeyIndex(%q, %q) = %d, want %d", tt.src, tt.key, got, tt.want)
			}
		})
	}
	if got := KeyIndex(nil, "a"); got != -1 {
		t.Errorf("KeyIndex(nil) = %d, want -1", got)
	}
}

func TestValueAndScalar(t *testing.T) {
	tests := []struct {
		name, src, key string
		wantValue      string // "-" when Value returns nil
		wantScalar     string
	}{
		{"ScalarEntry", sample, "b", "two", "two"},
		{"SequenceEntry", sample, "c", "", ""},
		{"MappingEntry", sample, "d", "", ""},
		{"Missing", sample, "z", "-", ""},
		{"NotMapping", "[a, b]", "a", "-", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := root(t, tt.src)
			got := "-"
			if v := Value(n, tt.key); v != nil {
				got = v.Value
			}
			if got != tt.wantValue {
				t.Errorf("Value(%q) = %q, want %q", tt.key, got, tt.wantValue)
			}
			if s := Scalar(n, tt.key); s != tt.wantScalar {
				t.Errorf("Scalar(%q) = %q, want %q", tt.key, s, tt.wantScalar)
			}
		})
	}
}

func TestKeyLine(t *testing.T) {
	n := root(t, "top: 1\nnested:\n  a: 1\n  b: 2\n")
	nested := Value(n, "nested")
	tests := []struct {
		name string
		n    *yaml.Node
		key  string
		want int
	}{
		{"Key", n, "nested", 2},
		{"NestedKey", nested, "b", 4},
		{"MissingNamesMapping", nested, "z", 3},
		{"MissingAtTop", n, "z", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KeyLine(tt.n, tt.key); got != tt.want {
				t.Errorf("KeyLine(%q) = %d, want %d", tt.key, got, tt.want)
			}
		})
	}
}

func TestSet(t *testing.T) {
	tests := []struct {
		name, src, key, value string
		want                  string
	}{
		{"ReplacesInPlace", "a: 1\nb: 2\nc: 3\n", "b", "9", "a=1 b=9 c=3"},
		{"Appends", "a: 1\n", "b", "2", "a=1 b=2"},
		{"IntoEmpty", "{}", "a", "1", "a=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := root(t, tt.src)
			k := &yaml.Node{Kind: yaml.ScalarNode, Value: tt.key, Line: 42}
			v := &yaml.Node{Kind: yaml.ScalarNode, Value: tt.value}
			Set(n, k, v)
			if got := entries(n); got != tt.want {
				t.Errorf("after Set: %s, want %s", got, tt.want)
			}
			// The key node itself goes in, so problems point at its line.
			if i := KeyIndex(n, tt.key); i < 0 || n.Content[i] != k || n.Content[i+1] != v {
				t.Errorf("after Set the entry %s is not the given key and value nodes", tt.key)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	tests := []struct {
		name, src, key string
		wantOK         bool
		want           string
	}{
		{"Middle", "a: 1\nb: 2\nc: 3\n", "b", true, "a=1 c=3"},
		{"Last", "a: 1\nb: 2\n", "b", true, "a=1"},
		{"Missing", "a: 1\n", "z", false, "a=1"},
		{"ValueIsNotKey", "a: b\n", "b", false, "a=b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := root(t, tt.src)
			if ok := Delete(n, tt.key); ok != tt.wantOK {
				t.Errorf("Delete(%q) = %v, want %v", tt.key, ok, tt.wantOK)
			}
			if got := entries(n); got != tt.want {
				t.Errorf("after Delete: %s, want %s", got, tt.want)
			}
		})
	}
	seq := root(t, "[a, b]")
	if Delete(seq, "a") || len(seq.Content) != 2 {
		t.Errorf("Delete on a sequence removed items: %d left", len(seq.Content))
	}
}

func TestClone(t *testing.T) {
	tests := []struct{ name, src string }{
		{"Scalar", "x # note\n"},
		{"Nested", "a: 1\nb: [x, {c: 2}]\n"},
		{"Alias", "a: &v [1]\nb: *v\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := root(t, tt.src)
			before, err := yaml.Marshal(orig)
			if err != nil {
				t.Fatal(err)
			}
			c := Clone(orig)
			if !Same(c, orig) {
				t.Fatalf("clone differs from the original")
			}
			if c.LineComment != orig.LineComment || c.Line != orig.Line || c.Style != orig.Style {
				t.Errorf("clone lost comment, line or style")
			}
			var walk func(a, b *yaml.Node)
			walk = func(a, b *yaml.Node) {
				if a == b {
					t.Errorf("clone shares node %q (line %d) with the original", a.Value, a.Line)
				}
				if a.Alias != b.Alias {
					t.Errorf("clone of alias *%s points elsewhere", a.Value)
				}
				for i := range a.Content {
					walk(a.Content[i], b.Content[i])
				}
				a.Value, a.Content = "changed", nil
			}
			walk(c, orig)
			if after, _ := yaml.Marshal(orig); string(after) != string(before) {
				t.Errorf("editing the clone changed the original:\n%s\nwant\n%s", after, before)
			}
		})
	}
}

func TestSame(t *testing.T) {
	// Each case compares entries a and b of one document, so aliases can
	// refer to anchors beside them.
	tests := []struct {
		name, src string
		want      bool
	}{
		{"Equal", "a: {x: 1}\nb: {x: 1}\n", true},
		{"Comments", "a: 1 # why\n# before\nb: 1\n", true},
		{"FlowAndBlock", "a: {x: [1, 2]}\nb:\n  x:\n    - 1\n    - 2\n", true},
		{"QuotedAndPlainString", "a: 'text'\nb: text\n", true},
		{"LiteralAndQuoted", "a: |-\n  line\nb: \"line\"\n", true},
		{"AnchorIgnored", "a: &v [1]\nb: [1]\n", true},
		{"DifferentValue", "a: {x: 1}\nb: {x: 2}\n", false},
		{"QuotedNumberIsText", "a: '5'\nb: 5\n", false},
		{"KeyOrderCounts", "a: {x: 1, y: 2}\nb: {y: 2, x: 1}\n", false},
		{"ScalarAndList", "a: x\nb: [x]\n", false},
		{"SameAlias", "v: &v [1]\na: *v\nb: *v\n", true},
		{"AliasNotFollowed", "v: &v [1]\na: *v\nb: [1]\n", false},
		{"SelfReferenceEnds", "a: &v [*v]\nb: [x]\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := root(t, tt.src)
			a, b := Value(n, "a"), Value(n, "b")
			if a == nil || b == nil {
				t.Fatalf("%q lacks a or b", tt.src)
			}
			if got := Same(a, b); got != tt.want {
				t.Errorf("Same(a, b) = %v, want %v", got, tt.want)
			}
			if got := Same(b, a); got != tt.want {
				t.Errorf("Same(b, a) = %v, want %v", got, tt.want)
			}
		})
	}
}
