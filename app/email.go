package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"nhs-digital-maturity/email"
	"nhs-digital-maturity/handlers"
	"nhs-digital-maturity/models"
)

// mailSender is the SMTP sender when SMTP_URL is set, nil otherwise.
func mailSender(cfg config) (*email.SMTP, error) {
	if cfg.SMTPURL == "" {
		return nil, nil
	}
	return email.NewSMTP(email.SMTPOptions{URL: cfg.SMTPURL, From: cfg.MailFrom})
}

// sendEmail sends the queue every 10 seconds, and reminds board members of
// sections due within a week every hour. Every instance sends: a claim in
// the database gives each message to one of them.
func sendEmail(ctx context.Context, store *models.Store, srv *handlers.Server, sender *email.SMTP, log *slog.Logger) {
	go email.NewWorker(store, sender, log).Run(ctx, 10*time.Second)
	go func() {
		t := time.NewTicker(time.Hour)
		defer t.Stop()
		for {
			if n, err := srv.Reminders().SendDue(ctx, time.Now()); err != nil && ctx.Err() == nil {
				log.Warn("due-date reminders", "err", err)
			} else if n > 0 {
				log.Info("due-date reminders queued", "count", n)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// resetPassword prints a password reset link for an account: the way back
// in for anyone, an administrator included, when the service sends no
// email and no lead can make one.
func resetPassword(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	var address string
	fs := flag.NewFlagSet("reset-password", flag.ContinueOnError)
	cfg.databaseFlags(fs)
	fs.StringVar(&cfg.BaseURL, "base-url", env("BASE_URL", "http://localhost:8080"), "address people use to reach the service (env BASE_URL)")
	fs.StringVar(&cfg.SessionKey, "session-key", env("SESSION_KEY", ""), "the service's SESSION_KEY, if it is set (env SESSION_KEY)")
	fs.StringVar(&address, "email", "", "email address of the account (required)")
	if err := parseFlags(fs, args, stderr, "app reset-password --email E: print a single-use link, valid for 24 hours, that sets a new password for the account. Audited."); err != nil {
		return err
	}
	if address == "" {
		fs.Usage()
		return errors.New("--email is required")
	}
	if cfg.SessionKey != "" && len(cfg.SessionKey) < 32 {
		return ErrSessionKey
	}
	store, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	key, err := loadSessionKey(ctx, cfg, store)
	if err != nil {
		return err
	}
	link, expires, err := handlers.IssueResetLink(ctx, store, key, cfg.BaseURL, address)
	if err != nil {
		return fmt.Errorf("%s: %w", address, err)
	}
	fmt.Fprintf(stdout, "%s\nworks once, until %s\n", link, expires.Format(time.RFC3339))
	return nil
}

// applyRetention deletes what the retention settings no longer keep, and
// prints how many of each it deleted: counts only.
func applyRetention(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("apply-retention", flag.ContinueOnError)
	cfg.databaseFlags(fs)
	cfg.retentionFlags(fs)
	if err := parseFlags(fs, args, stderr, "app apply-retention: delete audit events, sign-in records and leavers' self-assessments older than the retention settings, then print the counts."); err != nil {
		return err
	}
	if len(cfg.envErrs) > 0 {
		return errors.Join(cfg.envErrs...)
	}
	if cfg.RetainAuditDays < 0 || cfg.RetainSignInDays < 0 || cfg.RetainLeaverDays < 0 {
		return ErrRetention
	}
	store, err := openMigrated(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer store.Close()
	day := 24 * time.Hour
	r, err := store.ApplyRetention(ctx, time.Now(), models.RetentionPolicy{Audit: time.Duration(cfg.RetainAuditDays) * day,
		SignIns: time.Duration(cfg.RetainSignInDays) * day, Leavers: time.Duration(cfg.RetainLeaverDays) * day})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted %d audit events (%s)\n", r.AuditEvents, days(cfg.RetainAuditDays))
	fmt.Fprintf(stdout, "deleted %d failed sign-ins, %d sessions, %d password reset links and %d sent or failed emails (%s)\n",
		r.SignInAttempts, r.Sessions, r.PasswordResets, r.Emails, days(cfg.RetainSignInDays))
	fmt.Fprintf(stdout, "deleted %d skills self-assessments of people who left (%s after they left)\n", r.LeaverAssessments, days(cfg.RetainLeaverDays))
	return nil
}

func days(n int) string {
	if n == 0 {
		return "kept for ever"
	}
	return fmt.Sprintf("kept %d days", n)
}
