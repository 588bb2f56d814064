package forms

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// decodeYAML parses src into a node tree. The YAML library is a third-party
// parser fed with administrator input; a panic in it must become a problem,
// not a crash of the server.
func decodeYAML(src []byte) (doc yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	err = yaml.Unmarshal(src, &doc)
	return doc, err
}

// yamlErrorLine pulls "line N" out of a yaml.v3 error message.
func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	i := strings.Index(msg, "line ")
	if i < 0 {
		return 1, msg
	}
	rest := msg[i+len("line "):]
	end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end < 0 {
		end = len(rest)
	}
	line, err2 := strconv.Atoi(rest[:end])
	if err2 != nil || line < 1 {
		return 1, msg
	}
	if i == 0 {
		msg = strings.TrimLeft(rest[end:], ": ")
	}
	if zeroBasedLine(msg) {
		line++
	}
	return line, msg
}

// zeroBasedLine reports whether yaml.v3 gave this error with a 0-based line:
// it adds one for scanner errors only, so its parser errors point one line
// above the construct they are about.
func zeroBasedLine(msg string) bool {
	switch msg {
	case "did not find expected '-' indicator", "did not find expected key",
		"did not find expected ',' or ']'", "did not find expected ',' or '}'",
		"did not find expected node content", "did not find expected <document start>",
		"did not find expected <stream-start>", "found undefined tag handle",
		"found duplicate %YAML directive", "found incompatible YAML document",
		"found duplicate %TAG directive":
		return true
	}
	return false
}

// keyValue is one entry of a YAML mapping.
type keyValue struct{ key, value *yaml.Node }

// mapping returns the entries of a mapping node by key, recording unknown,
// duplicate and aliased keys.
func (p *parser) mapping(n *yaml.Node, path string, allowed []string) map[string]keyValue {
	out := make(map[string]keyValue, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		kp := joinPath(path, name)
		switch {
		case v.Kind == yaml.AliasNode || k.Kind == yaml.AliasNode:
			// Aliases could expand a small file into a huge tree; a form
			// never needs them.
			p.problem(k.Line, kp, "不支持 YAML 别名引用（*name）")
			continue
		case k.Kind != yaml.ScalarNode:
			p.problem(k.Line, path, "键应为文字")
			continue
		case !allowedKey(allowed, name):
			p.problem(k.Line, kp, "未知的键 %s（可用：%s）", name, strings.Join(allowed, "、"))
			continue
		}
		if prev, dup := out[name]; dup {
			p.problem(k.Line, kp, "键 %s 重复（第%d行已出现）", name, prev.key.Line)
			continue
		}
		out[name] = keyValue{k, v}
	}
	return out
}

// allowedKey reports whether name is in allowed, where an entry "label::*"
// admits "label::en" and any other language code.
func allowedKey(allowed []string, name string) bool {
	for _, a := range allowed {
		if a == name {
			return true
		}
		if prefix, ok := strings.CutSuffix(a, "*"); ok && strings.HasPrefix(name, prefix) && validLang(name[len(prefix):]) {
			return true
		}
	}
	return false
}

// validLang accepts language codes as in "en", "zh", "ug", "zh-Hant".
func validLang(s string) bool {
	base, region, _ := strings.Cut(s, "-")
	if len(base) < 2 || len(base) > 3 || len(region) > 8 {
		return false
	}
	for _, r := range base {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	for _, r := range region {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// scalar returns the text of a scalar value, recording a problem for a
// list, a mapping or null.
func (p *parser) scalar(kv keyValue, path string) (string, bool) {
	v := kv.value
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		p.problem(kv.key.Line, path, "%s 应为文字", kv.key.Value)
		return "", false
	}
	return v.Value, true
}

func (p *parser) optionalString(m map[string]keyValue, key, base string) string {
	kv, ok := m[key]
	if !ok {
		return ""
	}
	s, _ := p.scalar(kv, joinPath(base, key))
	return s
}

func (p *parser) requiredString(owner *yaml.Node, m map[string]keyValue, key, base, missing string) string {
	kv, ok := m[key]
	if !ok {
		p.problem(owner.Line, joinPath(base, key), "%s", missing)
		return ""
	}
	s, ok := p.scalar(kv, joinPath(base, key))
	if ok && strings.TrimSpace(s) == "" {
		p.problem(kv.value.Line, joinPath(base, key), "%s", missing)
	}
	return s
}

// identifier reads a required name that expressions and paths use.
func (p *parser) identifier(owner *yaml.Node, m map[string]keyValue, key, base, missing string) string {
	kv, ok := m[key]
	if !ok {
		p.problem(owner.Line, joinPath(base, key), "%s", missing)
		return ""
	}
	s, ok := p.scalar(kv, joinPath(base, key))
	if ok && !validName(s) {
		p.problem(kv.value.Line, joinPath(base, key), "%q 不是合法的标识：只能用英文字母、数字和下划线，且不以数字开头", s)
	}
	return s
}

func (p *parser) nonNegativeInt(kv keyValue, path string) int {
	v := kv.value
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil || n < 0 {
		p.problem(v.Line, path, "%s 应为非负整数", kv.key.Value)
		return 0
	}
	return n
}

// validName reports whether s can name a field or parameter: an expression
// identifier that is not a keyword of the expression language nor one of the
// names the environment itself provides.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	switch s {
	case "params", "value", "true", "false", "nil", "in", "not", "and", "or", "let", "if", "else",
		"matches", "contains", "startsWith", "endsWith":
		return false
	}
	return true
}
