package models

import (
	"context"
	"time"
)

// RetentionPolicy says how long records are kept; zero keeps them for ever.
type RetentionPolicy struct {
	// Audit is the age past which audit events go.
	Audit time.Duration
	// SignIns is the age past which failed sign-ins, sessions, password
	// reset links and the email queue's finished messages go.
	SignIns time.Duration
	// Leavers is the time after an account was deactivated (the person
	// left) past which their skills self-assessments go.
	Leavers time.Duration
}

// RetentionResult counts what ApplyRetention deleted.
type RetentionResult struct {
	AuditEvents, SignInAttempts, Sessions, PasswordResets, Emails, LeaverAssessments int64
}

// ApplyRetention deletes what the policy no longer keeps, in one
// transaction. Leavers' attempts go, so that the next workforce release
// no longer counts them; published releases, which are aggregates, are
// kept as they were.
func (s *Store) ApplyRetention(ctx context.Context, now time.Time, p RetentionPolicy) (RetentionResult, error) {
	var r RetentionResult
	now = now.UTC()
	err := s.inTx(ctx, func(tx *Store) error {
		del := func(n *int64, table, where string, args ...any) error {
			res := tx.db.Exec("DELETE FROM "+table+" WHERE "+where, args...)
			*n += res.RowsAffected
			return res.Error
		}
		if p.Audit > 0 {
			if err := del(&r.AuditEvents, "audit_events", "created_at < ?", now.Add(-p.Audit)); err != nil {
				return err
			}
		}
		if p.SignIns > 0 {
			cut := now.Add(-p.SignIns)
			for _, d := range []struct {
				n            *int64
				table, where string
			}{
				{&r.SignInAttempts, "sign_in_attempts", "created_at < ?"},
				{&r.Sessions, "sessions", "created_at < ?"},
				{&r.PasswordResets, "password_resets", "created_at < ?"},
				{&r.Emails, "email_outbox", "created_at < ? AND status IN ('" + EmailSent + "', '" + EmailFailed + "')"},
			} {
				if err := del(d.n, d.table, d.where, cut); err != nil {
					return err
				}
			}
		}
		if p.Leavers > 0 {
			leavers := "SELECT id FROM users WHERE active = ? AND left_at IS NOT NULL AND left_at < ?"
			attempts := "assessment_id IN (SELECT id FROM skills_assessments WHERE user_id IN (" + leavers + "))"
			cut := now.Add(-p.Leavers)
			var ignored int64
			if err := del(&ignored, "skills_answers", attempts, false, cut); err != nil {
				return err
			}
			if err := del(&ignored, "skills_domain_scores", attempts, false, cut); err != nil {
				return err
			}
			if err := del(&r.LeaverAssessments, "skills_assessments", "user_id IN ("+leavers+")", false, cut); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return RetentionResult{}, err
	}
	return r, nil
}
