package workflows

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"jianfu/forms"
)

// YearValues are the values of one param by year, oldest year first: the
// same rule as forms' params by year, so one type serves both.
type (
	YearValues = forms.YearValues
	YearValue  = forms.YearValue
)

// Years a param may be given for: wide enough for any plan, narrow enough
// to catch a typo such as 20222.
const (
	minParamYear = 2000
	maxParamYear = 2100
)

// ParamsFor returns the values of the params given by year for a case
// started at start, counted in Beijing time: the year of the start fixes
// them for the whole case, so a case begun in December keeps the line it
// was measured against. It returns nil when no param is given by year; lay
// the result over Params (Snapshot.Params does).
func (d *Definition) ParamsFor(start time.Time) forms.Params {
	if len(d.ParamsByYear) == 0 {
		return nil
	}
	year := start.In(chinaZone()).Year()
	out := make(forms.Params, len(d.ParamsByYear))
	for name, ys := range d.ParamsByYear {
		out[name] = ys.At(year)
	}
	return out
}

// yearValues reads {2021: 6000, 2022: 7000}: whole-number years, scalar
// values of one kind.
func (p *parser) yearValues(n *yaml.Node, path string) YearValues {
	entries, ok := p.mapping(n, path)
	if !ok {
		return nil
	}
	if len(entries) == 0 {
		p.add(n.Line, path, "按年度给出的参数至少需要一个年度")
		return nil
	}
	byYear := map[int]any{}
	var kind string
	for _, e := range entries {
		at := join(path, e.key)
		year, err := strconv.Atoi(e.key)
		if err != nil || year < minParamYear || year > maxParamYear {
			p.add(e.keyAt, at, "年度 %q 无效：应为 %d 到 %d 之间的年份", e.key, minParamYear, maxParamYear)
			continue
		}
		v, ok := p.paramValue(e.value, at)
		if !ok {
			continue
		}
		if k := fmt.Sprintf("%T", v); kind == "" {
			kind = k
		} else if k != kind && !(isNumber(v) && isNumberKind(kind)) {
			p.add(e.value.Line, at, "各年度的参数值类型应相同")
			continue
		}
		byYear[year] = v
	}
	out := make(YearValues, 0, len(byYear))
	for _, y := range slices.Sorted(maps.Keys(byYear)) {
		out = append(out, YearValue{Year: y, Value: byYear[y]})
	}
	return out
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, float64:
		return true
	}
	return false
}

func isNumberKind(kind string) bool { return kind == "int" || kind == "float64" }

// fileOf names the file a definition path comes from: the overlay's for
// what it supplied, the base's for the rest of a resolved overlay.
func (d *Definition) fileOf(path string) string {
	if d.files == nil {
		return d.File
	}
	for p := path; p != ""; {
		if f, ok := d.files[p]; ok {
			return f
		}
		i := lastSep(p)
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return d.baseFile
}
