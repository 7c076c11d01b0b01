package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"nhs-digital-maturity/maturity"
)

// adviceRequest opens the request page for the question named in the form
// or query.
func (s *Server) adviceRequest(c echo.Context, code string) (maturity.AdviceRequest, error) {
	cycle, fw, err := s.maturityCycle(c)
	if err != nil {
		return maturity.AdviceRequest{}, err
	}
	r, err := s.maturityService().AdviceRequest(c.Request().Context(), cycle, fw, code, mustUser(c))
	switch {
	case errors.Is(err, maturity.ErrNoQuestion):
		return r, echo.ErrNotFound
	case errors.Is(err, maturity.ErrNotAssigned):
		return r, echo.ErrForbidden
	}
	return r, err
}

func (s *Server) adviceRequestPage(c echo.Context) error {
	r, err := s.adviceRequest(c, c.QueryParam("question"))
	if err != nil {
		return err
	}
	return s.renderAdviceRequest(c, r, nil)
}

func (s *Server) renderAdviceRequest(c echo.Context, r maturity.AdviceRequest, errs formErrors) error {
	v := s.view(c, "Ask a colleague for advice")
	v.BackLink = r.BackLink
	v.Form = r.Form
	v.Errors = errs
	v.Data = r
	return s.renderForm(c, "maturity_advice_request", v)
}

func (s *Server) requestAdvice(c echo.Context) error {
	r, err := s.adviceRequest(c, c.FormValue("question"))
	if err != nil {
		return err
	}
	err = s.maturityService().RequestAdvice(c.Request().Context(), &r, maturity.AdviceRequestForm{Adviser: c.FormValue("adviser")}, inputRest(c))
	if fe := (formErrors{}); errors.As(err, &fe) {
		return s.renderAdviceRequest(c, r, fe)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "Your colleague has been asked. They see the request when they sign in; their advice will appear beside the board's answers.")
	return redirect(c, r.BackLink)
}

// advicePage is the colleague's page for a request made of them; anyone
// else gets 404.
func (s *Server) advicePage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p, err := s.maturityService().Advice(c.Request().Context(), mustUser(c), id)
	if err != nil {
		return err
	}
	return s.renderAdvice(c, p, nil)
}

func (s *Server) renderAdvice(c echo.Context, p maturity.AdvicePage, errs formErrors) error {
	v := s.view(c, "Your advice: "+p.Question.Title)
	v.BackLink = "/"
	v.Form = p.Form
	v.Errors = errs
	v.Data = p
	return s.renderForm(c, "advice", v)
}

func (s *Server) giveAdvice(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	svc := s.maturityService()
	p, err := svc.Advice(c.Request().Context(), mustUser(c), id)
	if err != nil {
		return err
	}
	form := maturity.AdviceForm{Level: c.FormValue("level"), Comment: strings.TrimSpace(c.FormValue("comment"))}
	err = svc.GiveAdvice(c.Request().Context(), &p, form, inputCheck(c), inputRest(c))
	if fe := (formErrors{}); errors.As(err, &fe) {
		return s.renderAdvice(c, p, fe)
	}
	if err != nil {
		return err
	}
	s.setFlash(c, "Thank you: your advice has been passed to the board.")
	return c.Redirect(http.StatusSeeOther, "/advice/"+c.Param("id"))
}
