package handlers

import (
	"context"
	"errors"
	"time"
)

// ErrBusy is a request that waited its whole queue time for a turn to hash
// a password; it gets the "service is busy" page.
var ErrBusy = errors.New("no turn to hash a password within the queue wait")

// hashTurn waits for one of the HashConcurrency turns to hash a password
// and returns the function that gives it back. Each argon2id hash holds
// 19 MiB while it runs: the turns bound the memory a sign-in storm takes.
func (s *Server) hashTurn(ctx context.Context) (release func(), err error) {
	wait := time.NewTimer(s.cfg.HashQueueWait)
	defer wait.Stop()
	select {
	case s.hashTurns <- struct{}{}:
		return func() { <-s.hashTurns }, nil
	case <-wait.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hashPassword hashes a new password in its turn.
func (s *Server) hashPassword(ctx context.Context, password string) (string, error) {
	release, err := s.hashTurn(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return s.cfg.Hasher.Hash(password)
}

// verifyPassword checks a password against a stored hash in its turn.
func (s *Server) verifyPassword(ctx context.Context, password, encoded string) (bool, error) {
	release, err := s.hashTurn(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return s.cfg.Hasher.Verify(password, encoded)
}
