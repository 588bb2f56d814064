package roles

// Localities are 12-digit 统计用区划代码: province (2 digits), city (2),
// county (2), township (3), village (3). The platform's tree starts at the
// county, the level that carries the main responsibility, and identifies a
// county by its first six digits: 510100000000 is the county "510100/", as
// in the demo 示范县. A code whose county digits are "00" is therefore read
// as a county, never as a city, and the city level has no code of its own
// here; the only level above the county is the province (510000000000).
//
// A path writes the code cut at its levels, each segment followed by "/":
//
//	county   510100000000 → "510100/"
//	township 510100001000 → "510100/001/"
//	village  510100001001 → "510100/001/001/"
//
// so a path is a prefix of the paths of everything below it, and the grant
// pattern path+"*" (Casbin KeyMatch, SQL LIKE path%) selects a subtree. A
// province's path is its two digits without a slash ("51"): every county
// path of the province starts with them, so "51*" covers the province, and
// the fixed width of the province segment keeps "51" from matching another
// province.

// Levels of the locality tree, as Level returns them.
const (
	LevelProvince = "province"
	LevelCounty   = "county"
	LevelTownship = "township"
	LevelVillage  = "village"
)

// code is a 12-digit 统计用区划代码 that passed parseCode.
type code string

func (c code) province() string { return string(c[0:2]) }
func (c code) county() string   { return string(c[0:6]) }
func (c code) township() string { return string(c[6:9]) }
func (c code) village() string  { return string(c[9:12]) }

func (c code) level() string {
	switch {
	case c.village() != "000":
		return LevelVillage
	case c.township() != "000":
		return LevelTownship
	case c.county()[2:] != "0000":
		return LevelCounty
	default:
		return LevelProvince
	}
}

// parseCode checks that s is a well-formed code: twelve ASCII digits, a
// province, and no segment set below an empty one (a village needs a
// township, a township a county). The input is never echoed in the error: a
// pasted 身份证号 must not end up in a message.
func parseCode(s string) (code, error) {
	if len(s) != 12 {
		return "", &InvalidError{Message: "区划代码须为12位数字"}
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", &InvalidError{Message: "区划代码须为12位数字"}
		}
	}
	c := code(s)
	switch {
	case c.province() == "00":
		return "", &InvalidError{Message: "区划代码缺少省级代码"}
	case c.township() == "000" && c.village() != "000":
		return "", &InvalidError{Message: "村级区划代码缺少乡镇段"}
	case c.county()[2:] == "0000" && s[6:] != "000000":
		return "", &InvalidError{Message: "乡镇或村级区划代码缺少县级段"}
	}
	return c, nil
}

// Path returns the locality path of a 12-digit code ("510100/001/001/" for
// village 510100001001; "51" for province 510000000000). It returns an
// *InvalidError when the code is malformed.
func Path(s string) (string, error) {
	c, err := parseCode(s)
	if err != nil {
		return "", err
	}
	return c.path(), nil
}

func (c code) path() string {
	switch c.level() {
	case LevelVillage:
		return c.county() + "/" + c.township() + "/" + c.village() + "/"
	case LevelTownship:
		return c.county() + "/" + c.township() + "/"
	case LevelCounty:
		return c.county() + "/"
	default:
		return c.province()
	}
}

// pattern is the Casbin domain of a grant on this locality: the locality
// and everything below it.
func (c code) pattern() string { return c.path() + "*" }

// Level returns the level of a 12-digit code: LevelProvince, LevelCounty,
// LevelTownship or LevelVillage. It returns an *InvalidError when the code
// is malformed.
func Level(s string) (string, error) {
	c, err := parseCode(s)
	if err != nil {
		return "", err
	}
	return c.level(), nil
}

// Parent returns the code of the locality directly above: a village's
// township, a township's county, a county's province. It reports false for
// a province and for a malformed code.
func Parent(s string) (string, bool) {
	c, err := parseCode(s)
	if err != nil {
		return "", false
	}
	switch c.level() {
	case LevelVillage:
		return string(c[:9]) + "000", true
	case LevelTownship:
		return c.county() + "000000", true
	case LevelCounty:
		return c.province() + "0000000000", true
	default:
		return "", false
	}
}
