// Package workflows holds the case-work domain of Jianfu: workflow
// definitions as data (YAML parsed with line numbers, linted against the
// catalog of forms, roles and departments), the runtime that interprets a
// definition on a qmuntal/stateless machine whose state lives in the case row,
// the working-day calendar behind public-notice holds and task deadlines, and
// the Scheduler that computes recurring work and escalations.
//
// A definition is parsed (Parse), compiled once per published version
// (Definition.Compile) and then shared read-only by any number of goroutines.
// The Engine decides one action at a time from a Snapshot of a case and
// returns what must change (a Transition or TaskCompletion); storing it, in
// one transaction, is the caller's job.
//
// This package must never import net/http, echo, ent or database/sql: it is
// the domain, and transport and storage depend on it, not the reverse.
package workflows
