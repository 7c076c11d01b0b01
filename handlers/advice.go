package handlers

import (
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
	return r, maturityRefusal(err)
}

func (s *Server) adviceRequestPage(c echo.Context) error {
	r, err := s.adviceRequest(c, c.QueryParam("question"))
	if err != nil {
		return err
	}
	return s.renderAdviceRequest(c, r, nil)
}

func (s *Server) renderAdviceRequest(c echo.Context, r maturity.AdviceRequest, errs formErrors) error {
	return s.renderPage(c, "maturity_advice_request", page{Title: "Ask a colleague for advice", BackLink: r.BackLink,
		Form: r.Form, Errors: errs, Data: r})
}

func (s *Server) requestAdvice(c echo.Context) error {
	r, err := s.adviceRequest(c, c.FormValue("question"))
	if err != nil {
		return err
	}
	err = s.maturityService().RequestAdvice(c.Request().Context(), &r, maturity.AdviceRequestForm{Adviser: c.FormValue("adviser")}, inputRest(c))
	return s.saved(c, err, func(fe formErrors) error { return s.renderAdviceRequest(c, r, fe) },
		"Your colleague has been asked. They see the request when they sign in; their advice will appear beside the board's answers.", r.BackLink)
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
	return s.renderPage(c, "advice", page{Title: "Your advice: " + p.Question.Title, BackLink: "/", Form: p.Form, Errors: errs, Data: p})
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
	return s.saved(c, err, func(fe formErrors) error { return s.renderAdvice(c, p, fe) },
		"Thank you: your advice has been passed to the board.", "/advice/"+c.Param("id"))
}
