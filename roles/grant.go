package roles

import (
	"fmt"
	"slices"
	"strings"
)

// Grant is what a user may do where: one role on one locality (a 12-digit
// code) and, for liaisons only, the department they answer for.
type Grant struct{ Username, Role, Locality, Department string }

// levelsOf lists the locality levels a role may be granted on. Liaisons sit
// at the county, where departments are; administrators at the county or,
// for a provincial platform, the province.
func levelsOf(role string) []string {
	switch role {
	case Village:
		return []string{LevelVillage}
	case Township:
		return []string{LevelTownship}
	case County, Liaison:
		return []string{LevelCounty}
	case Admin:
		return []string{LevelCounty, LevelProvince}
	default:
		return nil
	}
}

// grantRows checks g and returns its Casbin grouping rows: the "g" row
// (user, role, domain pattern) and, for a liaison, the "g2" row (user,
// department). It returns an *InvalidError when the grant does not fit.
func grantRows(g Grant) (role []string, department []string, err error) {
	if g.Username == "" || strings.TrimSpace(g.Username) != g.Username {
		return nil, nil, &InvalidError{Message: fmt.Sprintf("用户名 %q 不能为空或以空格开头结尾", g.Username)}
	}
	if !knownRole(g.Role) {
		return nil, nil, &InvalidError{Message: fmt.Sprintf("用户 %s：未知角色 %q", g.Username, g.Role)}
	}
	c, err := parseCode(g.Locality)
	if err != nil {
		return nil, nil, &InvalidError{Message: fmt.Sprintf("用户 %s：%s", g.Username, err.Error())}
	}
	if !slices.Contains(levelsOf(g.Role), c.level()) {
		return nil, nil, &InvalidError{Message: fmt.Sprintf("用户 %s：角色 %s 不能设在%s级区划",
			g.Username, g.Role, levelTitle(c.level()))}
	}
	role = []string{g.Username, g.Role, c.pattern()}
	switch {
	case g.Role == Liaison && !validName(g.Department):
		return nil, nil, &InvalidError{Message: fmt.Sprintf("用户 %s：联络员须有部门", g.Username)}
	case g.Role == Liaison:
		return role, []string{g.Username, g.Department}, nil
	case g.Department != "":
		return nil, nil, &InvalidError{Message: fmt.Sprintf("用户 %s：只有联络员属于部门", g.Username)}
	}
	return role, nil, nil
}

func levelTitle(level string) string {
	switch level {
	case LevelProvince:
		return "省"
	case LevelCounty:
		return "县"
	case LevelTownship:
		return "乡镇"
	default:
		return "村"
	}
}
