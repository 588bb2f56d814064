package forms

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// params reads the `params:` map of default parameters.
func (p *parser) params(top map[string]keyValue) Params {
	kv, ok := top["params"]
	if !ok {
		return Params{}
	}
	if kv.value.Kind != yaml.MappingNode {
		p.problem(kv.key.Line, "params", "params 应为“名称: 值”的映射")
		return Params{}
	}
	out := Params{}
	for i := 0; i+1 < len(kv.value.Content); i += 2 {
		k, v := kv.value.Content[i], kv.value.Content[i+1]
		path := "params." + k.Value
		if !validName(k.Value) {
			p.problem(k.Line, path, "%q 不是合法的参数名", k.Value)
			continue
		}
		if _, dup := out[k.Value]; dup {
			p.problem(k.Line, path, "参数 %s 重复", k.Value)
			continue
		}
		val, ok := paramValue(v)
		if !ok {
			p.problem(v.Line, path, "参数只能是数字、文字或 true/false")
			continue
		}
		out[k.Value] = val
	}
	return out
}

// paramValue decodes a scalar parameter: int, float64, string or bool.
func paramValue(v *yaml.Node) (any, bool) {
	if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
		return nil, false
	}
	var val any
	if err := v.Decode(&val); err != nil {
		return nil, false
	}
	switch val.(type) {
	case int, float64, string, bool:
		return normalizeParam(val), true
	}
	return nil, false
}

// choiceLists reads the form's shared `choices:` lists.
func (p *parser) choiceLists(top map[string]keyValue) map[string][]Choice {
	lists := map[string][]Choice{}
	kv, ok := top["choices"]
	if !ok {
		return lists
	}
	if kv.value.Kind != yaml.MappingNode {
		p.problem(kv.key.Line, "choices", "choices 应为“列表名: [可选项…]”的映射")
		return lists
	}
	for i := 0; i+1 < len(kv.value.Content); i += 2 {
		k, v := kv.value.Content[i], kv.value.Content[i+1]
		path := "choices." + k.Value
		if !validName(k.Value) {
			p.problem(k.Line, path, "%q 不是合法的可选项列表名", k.Value)
			continue
		}
		if _, dup := lists[k.Value]; dup {
			p.problem(k.Line, path, "可选项列表 %s 重复", k.Value)
			continue
		}
		lists[k.Value] = p.choices(v, path)
	}
	return lists
}

// choices reads one list of options: plain strings or {value, label}.
func (p *parser) choices(n *yaml.Node, path string) []Choice {
	if n.Kind != yaml.SequenceNode {
		p.problem(n.Line, path, "可选项应为列表")
		return nil
	}
	if len(n.Content) == 0 {
		p.problem(n.Line, path, "可选项列表为空")
		return nil
	}
	out := make([]Choice, 0, len(n.Content))
	seen := map[string]int{}
	for i, item := range n.Content {
		ip := fmt.Sprintf("%s[%d]", path, i)
		c, ok := p.choice(item, ip)
		if !ok {
			continue
		}
		if line, dup := seen[c.Value]; dup {
			p.problem(item.Line, ip, "可选项 %s 重复（第%d行已出现）", c.Value, line)
			continue
		}
		seen[c.Value] = item.Line
		out = append(out, c)
	}
	return out
}

func (p *parser) choice(item *yaml.Node, path string) (Choice, bool) {
	switch {
	case item.Kind == yaml.ScalarNode && item.Tag != "!!null":
		if strings.TrimSpace(item.Value) == "" {
			p.problem(item.Line, path, "可选项的值不能为空")
			return Choice{}, false
		}
		return Choice{Value: item.Value, Label: item.Value}, true
	case item.Kind == yaml.MappingNode:
		m := p.mapping(item, path, []string{"value", "label"})
		value := p.requiredString(item, m, "value", path, "可选项缺少值 value")
		if value == "" {
			return Choice{}, false
		}
		label := p.optionalString(m, "label", path)
		if label == "" {
			label = value
		}
		return Choice{Value: value, Label: label}, true
	}
	p.problem(item.Line, path, "可选项应为文字或 {value, label}")
	return Choice{}, false
}
