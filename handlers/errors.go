package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/models"
)

// statusClientClosed is the status logged for a request the client
// cancelled before it was answered (as nginx logs it).
const statusClientClosed = 499

// errorPage is the content of the friendly error page for a status.
type errorPage struct {
	Status  int
	Heading string
	Body    []string
}

func errorContent(status int) errorPage {
	switch status {
	case http.StatusNotFound:
		return errorPage{status, "Page not found", []string{
			"If you typed the web address, check it is correct.",
			"If you pasted the web address, check you copied the entire address.",
		}}
	case http.StatusForbidden:
		return errorPage{status, "You cannot see this page", []string{
			"Your account does not have the role this page needs. If you think it should, ask your organisation's digital lead.",
		}}
	case http.StatusRequestEntityTooLarge:
		return errorPage{status, "The file or form you sent is too large", []string{
			"Go back and try again with less information or a smaller file.",
		}}
	case http.StatusUnprocessableEntity:
		return errorPage{status, "Sorry, we could not accept what you sent", []string{
			"Go back, check what you typed or pasted, and try again.",
		}}
	case http.StatusBadRequest:
		return errorPage{status, "Sorry, we could not understand that request", []string{
			"Go back and try again.",
		}}
	}
	return errorPage{http.StatusInternalServerError, "Sorry, there is a problem with the service", []string{
		"Try again later. Nothing you had already saved has been lost.",
	}}
}

// handleError is the one place errors become responses: an HTML page for
// people, JSON for API clients. Unexpected errors are logged and shown as a
// 500 page that gives the request id for support.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	// The client gave up (closed the tab, pressed stop): not a fault of
	// ours, and nobody reads the answer. It is logged as cancelled.
	if errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		_ = c.NoContent(statusClientClosed)
		return
	}
	status := http.StatusInternalServerError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
	case errors.Is(err, models.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, ErrBusy), models.Unavailable(err):
		status = http.StatusServiceUnavailable
	}
	requestID := c.Response().Header().Get(echo.HeaderXRequestID)
	if status >= 500 {
		s.log.Error("request failed", "request_id", requestID, "err", models.LoggableError(err), "path", c.Request().URL.Path)
	}
	page := errorContent(status)
	if status == http.StatusServiceUnavailable && !errors.Is(err, ErrBusy) {
		c.Response().Header().Set("Retry-After", "60")
		page = errorPage{http.StatusServiceUnavailable, "The service is having trouble", []string{
			"Nothing you saved has been lost. Try again in a few minutes.",
		}}
	}
	if errors.Is(err, ErrBusy) {
		c.Response().Header().Set("Retry-After", "10")
		page = errorPage{http.StatusServiceUnavailable, "The service is busy", []string{
			"Too many people are signing in at the moment. Wait a few seconds, then try again.",
			"Nothing you had already saved has been lost.",
		}}
	}
	if errors.Is(err, ErrCSRF) {
		page = errorPage{http.StatusForbidden, "Your form could not be sent", []string{
			"This can happen when a page has been open for a long time or was opened in another browser.",
			"Go back, reload the page and try again.",
		}}
	}
	if status == http.StatusMethodNotAllowed {
		status = http.StatusNotFound
		page = errorContent(status)
	}
	if strings.Contains(c.Request().Header.Get(echo.HeaderAccept), echo.MIMEApplicationJSON) {
		_ = c.JSON(status, map[string]any{"status": status, "error": page.Heading, "request_id": requestID})
		return
	}
	if status == http.StatusMethodNotAllowed || requestMethod(c.Request()) == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	v := s.view(c, page.Heading)
	v.Data = page
	if rerr := s.render(c, status, "error", v); rerr != nil {
		s.log.Error("render error page", "err", rerr, "request_id", requestID, slog.Int("status", status))
		_ = c.String(status, page.Heading)
	}
}
