package workflows

import "gopkg.in/yaml.v3"

// Definition kinds, as stored and as the API reports them.
const (
	KindForm     = "form"
	KindWorkflow = "workflow"
)

// SourceKind tells a workflow definition (it has states) from a form
// definition (anything else, so the form parser reports what is wrong with
// text that is neither).
func SourceKind(src []byte) string {
	var top map[string]yaml.Node
	if yaml.Unmarshal(src, &top) == nil && top["states"].Kind != 0 {
		return KindWorkflow
	}
	return KindForm
}
