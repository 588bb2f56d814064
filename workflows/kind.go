package workflows

import "gopkg.in/yaml.v3"

// Definition kinds, as stored and as the API reports them.
const (
	KindForm     = "form"
	KindWorkflow = "workflow"
	// KindCalendar is the holiday calendar (放假与调休) working days are
	// counted on; there is one, with id CalendarID, versioned like the rest.
	KindCalendar = "calendar"
	CalendarID   = "calendar"
)

// SourceKind tells a workflow definition (it has states) from a form
// definition or an overlay of one (anything else, so the form parser reports what is wrong with
// text that is neither).
func SourceKind(src []byte) string {
	var top map[string]yaml.Node
	// An overlay (extends:) may override params only; only workflows
	// have overlays.
	if yaml.Unmarshal(src, &top) == nil && (top["states"].Kind != 0 || top["extends"].Kind != 0) {
		return KindWorkflow
	}
	if top["fields"].Kind == 0 && (top["holidays"].Kind != 0 || top["workdays"].Kind != 0) {
		return KindCalendar
	}
	return KindForm
}
