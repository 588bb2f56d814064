package forms

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// YearValues are the values of one parameter by year, oldest year first:
// `income_line: {2021: 6000, 2022: 7000}`. The rule is the workflows' one:
// a case takes the newest listed year not after the year it started.
type YearValues []YearValue

// YearValue is a parameter's value from Year on, until the next listed year.
type YearValue struct {
	Year  int
	Value any
}

// Years a parameter may be given for: wide enough for any plan, narrow
// enough to catch a typo such as 20222.
const (
	minParamYear = 2000
	maxParamYear = 2100
)

// At returns the value for a year: the newest listed year not after it, or
// the oldest year's value for a year before every listed one.
func (ys YearValues) At(year int) any {
	v := ys[0].Value
	for _, y := range ys {
		if y.Year > year {
			break
		}
		v = y.Value
	}
	return v
}

// beijing is China Standard Time; a case's year is counted there so a case
// begun on New Year's Eve evening keeps that year's values.
var beijing = time.FixedZone("CST", 8*3600)

// ParamsFor returns the values of the parameters given by year for a case
// started at start (Beijing time), or nil when no parameter is given by
// year. Params already holds each such parameter's newest value, which is
// what a form used without a case sees.
func (d *Definition) ParamsFor(start time.Time) Params {
	if len(d.ParamsByYear) == 0 {
		return nil
	}
	year := start.In(beijing).Year()
	out := make(Params, len(d.ParamsByYear))
	for name, ys := range d.ParamsByYear {
		out[name] = ys.At(year)
	}
	return out
}

// Under returns p with over laid on top: over's values win. It returns
// over itself when p is empty, so the common case allocates nothing.
func (p Params) Under(over Params) Params {
	if len(p) == 0 {
		return over
	}
	out := make(Params, len(p)+len(over))
	maps.Copy(out, p)
	maps.Copy(out, over)
	return out
}

// yearValues reads {2021: 6000, 2022: 7000}: whole-number years, scalar
// values of one kind (int and float mix as numbers).
func (p *parser) yearValues(n *yaml.Node, path string) YearValues {
	if len(n.Content) == 0 {
		p.problem(n.Line, path, "按年度给出的参数至少需要一个年度")
		return nil
	}
	byYear := map[int]any{}
	var kind string
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		at := path + "." + k.Value
		year, err := strconv.Atoi(k.Value)
		if err != nil || year < minParamYear || year > maxParamYear {
			p.problem(k.Line, at, "年度 %q 无效：应为 %d 到 %d 之间的年份", k.Value, minParamYear, maxParamYear)
			continue
		}
		if _, dup := byYear[year]; dup {
			p.problem(k.Line, at, "年度 %d 重复", year)
			continue
		}
		val, ok := paramValue(v)
		if !ok {
			p.problem(v.Line, at, "参数只能是数字、文字或 true/false")
			continue
		}
		if k := paramKind(val); kind == "" {
			kind = k
		} else if k != kind {
			p.problem(v.Line, at, "各年度的参数值类型应相同")
			continue
		}
		byYear[year] = val
	}
	out := make(YearValues, 0, len(byYear))
	for _, y := range slices.Sorted(maps.Keys(byYear)) {
		out = append(out, YearValue{Year: y, Value: byYear[y]})
	}
	return out
}

// paramKind names a parameter value's kind for the one-kind rule; int and
// float64 are both numbers.
func paramKind(v any) string {
	switch v.(type) {
	case int, float64:
		return "number"
	}
	return fmt.Sprintf("%T", v)
}
