package roles

// InvalidError reports input this package refuses: a malformed locality
// code, or a grant or rule that does not fit the model. Message is Chinese
// and fit for an administrator; callers map it to "invalid" rather than to
// an internal error.
type InvalidError struct{ Message string }

func (e *InvalidError) Error() string { return e.Message }
