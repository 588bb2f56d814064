package forms

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// params reads the `params:` map of default parameters. A parameter may be
// given by year (`income_line: {2021: 6000, 2022: 7000}`): its default is
// then the newest year's value, and the years are returned apart.
func (p *parser) params(top map[string]keyValue) (Params, map[string]YearValues) {
	kv, ok := top["params"]
	if !ok {
		return Params{}, nil
	}
	if kv.value.Kind != yaml.MappingNode {
		p.problem(kv.key.Line, "params", "params 应为“名称: 值”的映射")
		return Params{}, nil
	}
	out := Params{}
	var byYear map[string]YearValues
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
		if v.Kind == yaml.MappingNode {
			ys := p.yearValues(v, path)
			if len(ys) == 0 {
				continue
			}
			if byYear == nil {
				byYear = map[string]YearValues{}
			}
			byYear[k.Value] = ys
			out[k.Value] = ys[len(ys)-1].Value
			continue
		}
		val, ok := paramValue(v)
		if !ok {
			p.problem(v.Line, path, "参数只能是数字、文字或 true/false，或按年度给出（如 {2021: 6000, 2022: 7000}）")
			continue
		}
		out[k.Value] = val
	}
	return out, byYear
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

// choiceLists reads the form's own `choices:` lists.
func (p *parser) choiceLists(top map[string]keyValue) map[string][]Choice {
	kv, ok := top["choices"]
	if !ok {
		return map[string][]Choice{}
	}
	return p.listMap(kv.key, kv.value, "choices.")
}

// listMap reads a mapping of list name to options.
func (p *parser) listMap(key, n *yaml.Node, prefix string) map[string][]Choice {
	lists := map[string][]Choice{}
	if n.Kind != yaml.MappingNode {
		p.problem(key.Line, strings.TrimSuffix(prefix, "."), "可选项列表应为“列表名: [可选项…]”的映射")
		return lists
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		path := prefix + k.Value
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

// choiceKeys admits value, label and its translations, and any other
// identifier as an attribute a choice filter can read (XLSForm's extra
// columns of the choices sheet).
func choiceKeys(item *yaml.Node) []string {
	keys := []string{"value", "label", "label::*"}
	for i := 0; i+1 < len(item.Content); i += 2 {
		if k := item.Content[i].Value; validName(k) {
			keys = append(keys, k)
		}
	}
	return keys
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
		m := p.mapping(item, path, choiceKeys(item))
		value := p.requiredString(item, m, "value", path, "可选项缺少值 value")
		if value == "" {
			return Choice{}, false
		}
		c := Choice{Value: value}
		c.Label, c.Labels = p.translated(item, m, "label", path, false)
		if c.Label == "" {
			c.Label = value
		}
		for k, kv := range m {
			if k == "value" || k == "label" || strings.HasPrefix(k, "label::") {
				continue
			}
			s, ok := p.scalar(kv, path+"."+k)
			if !ok {
				continue
			}
			if c.Attrs == nil {
				c.Attrs = map[string]string{}
			}
			c.Attrs[k] = s
		}
		return c, true
	}
	p.problem(item.Line, path, "可选项应为文字或 {value, label}")
	return Choice{}, false
}
