package workflows

// Department is a county department whose liaisons check and compare
// households. The ids are those of User.Department and of `tasks:` in
// workflow definitions.
type Department struct {
	ID    string
	Title string // Chinese short name, as cadres say it
}

// Departments lists the known county departments, in the order the county
// plans list them. It returns a new slice on every call.
func Departments() []Department {
	return []Department{
		{"cyberspace", "网信"},
		{"education", "教育"},
		{"public_security", "公安"},
		{"civil_affairs", "民政"},
		{"finance", "财政"},
		{"human_resources", "人社"},
		{"natural_resources", "自然资源"},
		{"housing", "住建"},
		{"water", "水利"},
		{"agriculture", "农业农村"},
		{"health", "卫健"},
		{"emergency", "应急"},
		{"market_regulation", "市场监管"},
		{"rural_revitalization", "乡村振兴"},
		{"medical_insurance", "医保"},
		{"disabled_federation", "残联"},
		{"tax", "税务"},
	}
}

// DepartmentTitle names a county department in Chinese for messages such as
// "以下部门尚未完成：公安、民政"; an unknown id is returned as it is.
func DepartmentTitle(id string) string {
	for _, d := range Departments() {
		if d.ID == id {
			return d.Title
		}
	}
	return id
}
