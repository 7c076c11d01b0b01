// Package email writes the service's messages and sends them from the
// queue in the database (models.OutboxMessage) through an SMTP server.
// Messages are plain text, short, and never carry answers or scores.
package email

import (
	"fmt"
	"strings"
	"time"

	"nhs-digital-maturity/models"
)

// ServiceName signs every message.
const ServiceName = "Digital maturity and skills assessment"

// london is where dates in messages are read.
var london = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

func day(t time.Time) string { return t.In(london).Format("2 January 2006") }

// message builds a queued message with the common ending.
func message(kind, to, subject string, paragraphs ...string) models.OutboxMessage {
	var b strings.Builder
	for _, p := range paragraphs {
		b.WriteString(p)
		b.WriteString("\n\n")
	}
	b.WriteString("This is an automatic message from the " + ServiceName + " service. Do not reply to it.\n")
	return models.OutboxMessage{Kind: kind, Recipient: to, Subject: subject, Body: b.String()}
}

// Invitation asks someone to set up their account.
func Invitation(to, name, organisation, link string, expires time.Time) models.OutboxMessage {
	return message(models.EmailInvitation, to, "Set up your account for the "+ServiceName+" service",
		"Dear "+name+",",
		organisation+" has invited you to the "+ServiceName+" service.",
		"Set up your account with this link:\n"+link,
		"The link works once, until "+day(expires)+". If you were not expecting this email, you can ignore it.")
}

// PasswordReset carries a link to set a new password.
func PasswordReset(to, link string, lifetime time.Duration) models.OutboxMessage {
	return message(models.EmailPasswordReset, to, "Reset your password",
		"Someone asked to reset the password of your account on the "+ServiceName+" service.",
		"Set a new password with this link:\n"+link,
		fmt.Sprintf("The link works once, for %s. If you did not ask for it, ignore this email: your password has not changed.", hours(lifetime)))
}

func hours(d time.Duration) string {
	if h := int(d.Hours()); h == 1 {
		return "1 hour"
	} else if h > 1 {
		return fmt.Sprintf("%d hours", h)
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes()))
}

// SectionAssigned tells a board member a section of the maturity
// assessment is theirs to answer.
func SectionAssigned(to, name, period, section, link string, due time.Time) models.OutboxMessage {
	return message(models.EmailSectionAssigned, to, "You have been asked to answer part of the board maturity assessment",
		"Dear "+name+",",
		"You have been asked to answer "+section+" in the "+period+" board maturity assessment, by "+day(due)+".",
		"Answer it here:\n"+link)
}

// SectionDue reminds a board member that an unanswered section is due soon.
func SectionDue(to, name, period, section, link string, due time.Time) models.OutboxMessage {
	return message(models.EmailSectionDue, to, "Reminder: your part of the board maturity assessment is due on "+day(due),
		"Dear "+name+",",
		"Your answers to "+section+" in the "+period+" board maturity assessment are due on "+day(due)+".",
		"Answer it here:\n"+link)
}

// AllAnswered tells a digital lead every section has its answers.
func AllAnswered(to, name, period, link string) models.OutboxMessage {
	return message(models.EmailAllAnswered, to, "Every section of the "+period+" board maturity assessment is answered",
		"Dear "+name+",",
		"Every board member has answered their sections of the "+period+" board maturity assessment. You can now review the answers and agree the levels.",
		"Review them here:\n"+link)
}

// SkillsInvitation asks a member of staff to take the self-assessment.
func SkillsInvitation(to, name, organisation, link string) models.OutboxMessage {
	return message(models.EmailSkillsInvite, to, "Take the digital skills self-assessment",
		"Dear "+name+",",
		organisation+" invites you to take the digital skills self-assessment. It takes about 15 minutes, and saves as you go.",
		"Your answers are seen by you alone. Start here:\n"+link)
}

// SkillsReminder reminds a member of staff who has not finished it yet.
// It is sent by the service: the digital lead who chose the date does not
// learn who it went to.
func SkillsReminder(to, name, link string) models.OutboxMessage {
	return message(models.EmailSkillsReminder, to, "Reminder: the digital skills self-assessment",
		"Dear "+name+",",
		"This is a reminder to take the digital skills self-assessment, if you have not finished it yet this year. It takes about 15 minutes.",
		"Your answers are seen by you alone, and nobody is told who has or has not taken it. Start here:\n"+link)
}
