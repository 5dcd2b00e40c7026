package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/gwf-project/gwf/internal/budget"
	"github.com/gwf-project/gwf/scenario"
	"github.com/gwf-project/gwf/store"
)

// errBusy is returned when every simulation slot stays taken for
// Config.SlotWait: the client is told to come back (429, Retry-After).
var errBusy = errors.New("server busy: every simulation slot is taken, try again in a few seconds")

// retryAfterSeconds is the Retry-After of a busy answer.
const retryAfterSeconds = "2"

// fail answers err as JSON, with the status from the one table of error
// kinds below. Only errors the user cannot have caused give 500, and those
// are logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var maxBytes *http.MaxBytesError
	var in inputError
	var over *budget.Error
	body := apiError{Error: err.Error()}
	status := http.StatusInternalServerError
	switch {
	case scenario.IsInvalid(err):
		status = http.StatusUnprocessableEntity
		body.Error = "the scenario is not valid"
		body.Errors = scenarioErrors(err)
	case errors.As(err, &in), errors.As(err, &over):
		status = http.StatusBadRequest
	case errors.As(err, &maxBytes):
		status = http.StatusRequestEntityTooLarge
		body.Error = "request body too large"
	case errors.Is(err, store.ErrNotFound), errors.Is(err, errNoRoute):
		status = http.StatusNotFound
	case errors.Is(err, errTooManyJobs):
		status = http.StatusTooManyRequests
	case errors.Is(err, errBusy):
		status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", retryAfterSeconds)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		status = http.StatusServiceUnavailable
		body.Error = "request timed out or was cancelled"
	default:
		s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		body.Error = "internal error"
	}
	writeJSON(w, status, body)
}
