package ui

import "embed"

// staticFiles holds the stylesheet; no CDN, no script framework.
//
//go:embed static
var staticFiles embed.FS
