package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"jianfu/forms"
	"jianfu/workflows"
)

// formPageView is a page with one form to fill: an action of a case or a
// department task.
type formPageView struct {
	Page    page
	Heading string
	Facts   []fact
	Action  string // where the form posts
	Version string // hidden case version; "" for tasks
	HasForm bool   // false: the action needs only a confirmation
	Form    formView
	Submit  string
	Cancel  string
	// Closed is set when there is nothing left to submit (a task already
	// done); the form is not drawn.
	Closed string
}

// fact is one label–value line above a form.
type fact struct {
	Label string
	Value string
}

// formPost is a parsed form submission.
type formPost struct {
	Values url.Values
	// Redraw is set when an add-row or remove-row button was pressed:
	// draw the form again, with the change, without submitting it.
	Redraw bool
	AddRow string
}

// readFormPost parses a posted form and applies its add or remove button.
func readFormPost(c echo.Context) (formPost, error) {
	posted, err := c.FormParams()
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return formPost{}, err
		}
		return formPost{}, badRequest(msgBadRequest)
	}
	p := formPost{Values: posted}
	if row := posted.Get(removeField); row != "" {
		p.Values = removeRow(posted, row)
		p.Redraw = true
	}
	if add := posted.Get(addField); add != "" {
		p.AddRow = add
		p.Redraw = true
	}
	return p, nil
}

// input is the form input of a redraw: the values as typed, no errors.
func (p formPost) input() formInput {
	return formInput{Posted: p.Values, AddRow: p.AddRow}
}

// withUploads stores the files of a post (see storeUploads). ok is false
// when a file was refused: in then redraws the form with the errors.
func (s *server) withUploads(c echo.Context, def *forms.Definition, post formPost) (in formInput, ok bool, err error) {
	errs, err := s.storeUploads(c, def, post.Values)
	if err != nil || len(errs) == 0 {
		return formInput{}, err == nil, err
	}
	return formInput{Posted: post.Values, Errors: errs, Message: msgFormFailed}, false, nil
}

// decodeSubmission turns the posted values into the data the service
// validates; an action without a form submits no data.
func decodeSubmission(def *forms.Definition, posted url.Values) map[string]any {
	if def == nil {
		return map[string]any{}
	}
	return def.DecodeValues(submittedValues(posted))
}

// invalidInput returns the form input that redraws a refused submission
// with its errors, when err is a validation error.
func invalidInput(err error, posted url.Values) (formInput, bool) {
	var de *workflows.Error
	if !errors.As(err, &de) || de.Code != workflows.Invalid {
		return formInput{}, false
	}
	msg := de.Message
	if msg == "" {
		msg = msgFormFailed
	}
	return formInput{Posted: posted, Errors: de.Fields, Message: msg}, true
}

// loadForm returns the newest published definition of a form for a
// household of locality (its variant there, if any); nil for an empty id
// (an action without a form).
func (s *server) loadForm(ctx context.Context, id, locality string) (*forms.Definition, error) {
	if id == "" {
		return nil, nil
	}
	def, err := s.svc.Form(ctx, id, locality)
	if err != nil {
		return nil, fmt.Errorf("load form %s: %w", id, err)
	}
	return def, nil
}
