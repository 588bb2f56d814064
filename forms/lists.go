package forms

import (
	"embed"
	"sort"
)

// sharedLists holds the choice lists the built-in forms share.
//
//go:embed defs/lists.yaml
var sharedLists embed.FS

// listsFile is the name of the shared lists beside the built-in forms;
// Builtin leaves it out because it is not a form.
const listsFile = "lists.yaml"

// ParseLists reads a file of shared choice lists: a mapping of list name to
// options, each written as in a form's `choices:` (plain values, or value,
// label, translations and attributes). Errors are Problems, as for Parse.
func ParseLists(file string, src []byte) (map[string][]Choice, error) {
	p := &parser{file: file, sources: map[*Field]*fieldSource{}}
	root := p.root(src)
	if root == nil {
		return nil, p.problems
	}
	lists := p.listMap(root, root, "")
	if len(p.problems) > 0 {
		sort.SliceStable(p.problems, func(i, j int) bool { return p.problems[i].Line < p.problems[j].Line })
		return nil, p.problems
	}
	return lists, nil
}

// BuiltinLists returns the shared lists of defs/lists.yaml (relation,
// risk_type, department…), fresh on each call.
func BuiltinLists() map[string][]Choice {
	src, err := sharedLists.ReadFile("defs/" + listsFile)
	if err != nil {
		// Embedded at build time; it cannot be missing.
		panic("forms: embedded " + listsFile + " missing: " + err.Error())
	}
	lists, err := ParseLists(listsFile, src)
	if err != nil {
		// A test parses the embedded file; a broken one never ships.
		panic("forms: embedded " + listsFile + ": " + err.Error())
	}
	return lists
}
