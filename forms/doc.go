// Package forms holds form definitions as data: YAML loaded with line
// numbers, linted with every problem reported at once, expressions compiled
// once per definition against a typed environment, and submitted data
// normalized and validated with per-field Chinese messages.
//
// It must never import anything that knows HTTP or SQL (echo, ent,
// database/sql): transport and storage call it, not the other way round.
package forms
