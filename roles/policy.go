package roles

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// modelText is the Casbin model; policyText the rows that do not come from
// workflow definitions. Both ship inside the binary.
var (
	//go:embed model.conf
	modelText string
	//go:embed policy.csv
	policyText string
)

// parsePolicy reads policy rows "p, role, object, action" from CSV text
// ('#' starts a comment line). Grants do not belong here: they come from
// the users, and a row granting a name would outlive the user.
func parsePolicy(text string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read policy: %w", err)
		}
		line, _ := r.FieldPos(0)
		if err := checkPolicyRow(rec); err != nil {
			return nil, &InvalidError{Message: fmt.Sprintf("策略第 %d 行：%s", line, err.Error())}
		}
		rows = append(rows, rec)
	}
}

func checkPolicyRow(rec []string) error {
	switch {
	case len(rec) != 4 || rec[0] != "p":
		return errors.New("须为 p, 角色, 对象, 操作")
	case !knownRole(rec[1]):
		return fmt.Errorf("未知角色 %q", rec[1])
	case rec[2] == "" || rec[3] == "":
		return errors.New("对象和操作不能为空")
	}
	return nil
}
