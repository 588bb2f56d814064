package forms

import (
	"embed"
	"io/fs"
	"path"
)

// builtinDefs holds the definitions shipped with the binary.
//
//go:embed defs/*.yaml
var builtinDefs embed.FS

// Builtin returns the built-in form definitions' YAML by file name
// ("household_verification.yaml"); the shared lists (defs/lists.yaml) are
// not a form and are left out (see BuiltinLists). Each call returns fresh copies the
// caller may keep or change.
func Builtin() map[string][]byte {
	entries, err := fs.ReadDir(builtinDefs, "defs")
	if err != nil {
		// The directory is embedded at build time; it cannot be missing.
		panic("forms: embedded defs missing: " + err.Error())
	}
	out := make(map[string][]byte, len(entries))
	for _, e := range entries {
		if e.Name() == listsFile {
			continue
		}
		src, err := fs.ReadFile(builtinDefs, path.Join("defs", e.Name()))
		if err != nil {
			panic("forms: read embedded " + e.Name() + ": " + err.Error())
		}
		out[e.Name()] = src
	}
	return out
}
