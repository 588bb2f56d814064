package forms

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a definition, anchored to its source so an
// administrator can find it: file, 1-based line, path inside the definition
// (e.g. "fields[3].relevant" or "states.notice.on.no_objection") and a
// Chinese message.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

// String formats a problem as FILE:LINE: path: message.
func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Path, p.Message)
}

// Problems is a list of definition problems; it is an error when not empty.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// FieldError is one validation error of submitted data. Field is the path of
// the field as the form names its inputs: "head_id", "members[2].id_card"
// (0-based index); empty for an error of the whole form.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FieldErrors is the list of validation errors of one submission.
type FieldErrors []FieldError

func (fe FieldErrors) Error() string {
	parts := make([]string, len(fe))
	for i, e := range fe {
		parts[i] = e.Field + ": " + e.Message
	}
	return strings.Join(parts, "; ")
}

// For returns the messages for one field path.
func (fe FieldErrors) For(field string) []string {
	var out []string
	for _, e := range fe {
		if e.Field == field {
			out = append(out, e.Message)
		}
	}
	return out
}
