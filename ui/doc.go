// Package ui is Jianfu's transport: the echo server with its server-rendered
// pages (templ components beside their handlers) and the JSON API under
// /api/v1. Every handler parses input, calls workflows.Service, and renders
// or redirects; the rules live in the service. ui must never import storage
// (ent, SQL drivers) nor decide behaviour by an error's text: domain errors
// are mapped to statuses by code in one place (errors.go).
//
// Files are named after the user action they serve (case_fire.go,
// household_list.go, api_case_fire.go …); routes.go is the table of them.
package ui
