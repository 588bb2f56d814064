// Package ent holds the storage schema (ent/schema) and the client generated
// from it. It is the only place that knows SQL; ent/store implements the
// domain services on top of it.
package ent

//go:generate go tool ent generate --feature sql/lock,sql/execquery,sql/upsert ./schema
