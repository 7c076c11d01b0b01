package handlers

import (
	"nhs-digital-maturity/assessments"
	"nhs-digital-maturity/models"
)

// ragClass is the NHS tag colour of a RAG rating.
func ragClass(r assessments.RAG) string {
	switch r {
	case assessments.RAGRed:
		return "nhsuk-tag--red"
	case assessments.RAGAmber:
		return "nhsuk-tag--orange"
	case assessments.RAGGreen:
		return "nhsuk-tag--green"
	}
	return "nhsuk-tag--grey"
}

// sectionStatusTag is the task list tag class of a section status.
func sectionStatusTag(status string) string {
	switch status {
	case sectionCompleted:
		return "nhsuk-tag--no-colour nhsuk-tag--no-border nhsuk-u-font-weight-normal"
	case sectionInProgress:
		return "nhsuk-tag--blue"
	}
	return "nhsuk-tag--grey"
}

func cycleStatusClass(status string) string {
	switch status {
	case models.CycleSubmitted:
		return "nhsuk-tag--green"
	case models.CycleInReview:
		return "nhsuk-tag--blue"
	}
	return "nhsuk-tag--grey"
}

func levelRange(n int) []int {
	r := make([]int, n)
	for i := range r {
		r[i] = i + 1
	}
	return r
}
