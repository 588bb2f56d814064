package ui

import (
	"io/fs"

	"github.com/labstack/echo/v4"
)

// The routes of a screening list upload, which take a larger body
// (limitBody).
const (
	routeListUpload    = "/lists/:workflow"
	routeAPIListUpload = "/api/v1/lists/:workflow/imports"
)

// routes is the table of every user action; each handler lives in the file
// named after it.
func (s *server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	e.StaticFS("/static", static)

	e.GET("/login", s.showLogin)
	e.POST("/login", s.login)

	pages := e.Group("", s.requirePageUser)
	pages.POST("/logout", s.logout)
	pages.GET("/", s.home)
	pages.GET("/tasks", s.taskList)
	pages.GET("/tasks/:id", s.showTaskForm)
	pages.POST("/tasks/:id", s.completeTask)
	pages.GET("/households", s.householdList)
	pages.GET("/households/new", s.showHouseholdForm)
	pages.POST("/households/new", s.householdCreate)
	pages.GET("/households/:id", s.householdShow)
	pages.POST("/households/:id/cases", s.caseStart)
	pages.GET("/cases/:id", s.caseShow)
	pages.GET("/cases/:id/fire/:trigger", s.showFireForm)
	pages.POST("/cases/:id/fire/:trigger", s.caseFire)
	pages.GET("/attachments/:id", s.attachmentShow)
	pages.GET("/lists", s.listIndex)
	pages.GET("/lists/:workflow/template.xlsx", s.listTemplate)
	pages.POST(routeListUpload, s.listUpload)
	pages.GET("/lists/imports/:id", s.listImportShow)
	pages.GET("/lists/imports/:id/problems.xlsx", s.listProblems)
	pages.GET("/definitions", s.definitionList)
	pages.GET("/definitions/new", s.showDefinitionPublish)
	pages.POST("/definitions/new", s.definitionPublish)
	pages.GET("/definitions/:kind/:id", s.definitionShow)
	pages.GET("/definitions/:kind/:id/diff", s.definitionDiff)

	e.POST("/api/v1/login", s.apiLogin)
	api := e.Group("/api/v1", s.requireAPIUser)
	api.GET("/me", s.apiMe)
	api.GET("/households", s.apiHouseholdList)
	api.POST("/households", s.apiHouseholdCreate)
	api.POST("/cases", s.apiCaseCreate)
	api.POST("/cases/migrate", s.apiCaseMigrate)
	api.GET("/cases/:id", s.apiCaseShow)
	api.POST("/cases/:id/fire", s.apiCaseFire)
	api.GET("/tasks", s.apiTaskList)
	api.POST("/tasks/:id/complete", s.apiTaskComplete)
	api.GET("/definitions", s.apiDefinitionList)
	api.POST("/definitions", s.apiDefinitionPublish)
	api.POST("/definitions/check", s.apiDefinitionCheck)
	api.GET("/definitions/:kind/:id", s.apiDefinitionShow)
	api.GET("/lists", s.apiListIndex)
	api.POST("/lists/:workflow/imports", s.apiListUpload) // routeAPIListUpload
	api.GET("/list-imports/:id", s.apiListImportShow)
	// The same workbook as the page's; errors answer JSON on /api/ paths.
	api.GET("/list-imports/:id/problems.xlsx", s.listProblems)
	if s.setClock != nil {
		// Absent unless the fake clock is on, so production answers 404.
		api.POST("/admin/clock", s.apiClock)
	}
}
