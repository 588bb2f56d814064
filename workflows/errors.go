package workflows

import (
	"errors"
	"fmt"

	"jianfu/forms"
)

// Code classifies an error for the transport layer, which maps codes to
// statuses in one place. Behaviour is never decided by an error's text.
type Code string

// Error codes.
const (
	Unauthorized Code = "unauthorized" // not signed in, or wrong password
	Forbidden    Code = "forbidden"    // signed in, but not allowed here
	Invalid      Code = "invalid"      // the input is wrong; see Fields or Problems
	Conflict     Code = "conflict"     // stale version, hold not over, join not complete, already done
	NotFound     Code = "not_found"
	Internal     Code = "internal"
)

// Error is a domain error: a code and a message fit to show a user (Chinese).
type Error struct {
	Code    Code
	Message string
	// Fields holds per-field validation errors (Invalid from a form).
	Fields forms.FieldErrors
	// Problems holds line-anchored definition problems (Invalid from a
	// definition upload).
	Problems forms.Problems
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Fields)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted user message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, Internal when err is not an *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the user message of err, or a generic one for errors
// that must not be shown.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后重试"
}
