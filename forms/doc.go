// Package forms holds form definitions as data: YAML (or an XLSForm-style
// spreadsheet) loaded with line numbers, linted with every problem reported
// at once, expressions compiled once per definition against a typed
// environment, and submitted data normalized and validated with per-field
// Chinese messages. Definitions may group fields, share choice lists,
// filter choices by other answers, prefill from the household or earlier
// submissions, reference attachments and carry translated labels. A
// locality's variant of a form is an overlay (ResolveOverlay) that yields an
// ordinary Definition; params may be given by year (ParamsFor).
//
// It must never import anything that knows HTTP or SQL (echo, ent,
// database/sql): transport and storage call it, not the other way round.
// Attachment content lives behind AttachmentStore (on disk in
// forms/attachments).
package forms
