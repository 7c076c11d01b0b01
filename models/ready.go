package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// SettingReadiness is the key the readiness check writes, and never keeps.
const SettingReadiness = "readiness_check"

// errProbeDone rolls back the readiness check's write.
var errProbeDone = errors.New("readiness write rolled back")

// Ready says whether the database can write now, not only answer: a
// database that answers reads but refuses every write (a read-only file or
// file system, a full disk, a standby) is not ready. It writes one row in
// a transaction that it rolls back, within a short timeout.
//
// A SQLite connection opened while the file was read-only stays read-only
// after the file becomes writable again, so a failed check closes the idle
// connections: the next ones open the file afresh, and the service recovers
// without a restart.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			SettingReadiness, time.Now().UTC().Format(time.RFC3339Nano)).Error
		if err != nil {
			return fmt.Errorf("write: %w", err)
		}
		return errProbeDone
	})
	if errors.Is(err, errProbeDone) {
		err = nil
	}
	if err == nil && s.dialect == SQLite {
		err = s.sqliteSpace()
	}
	if err != nil && s.dialect == SQLite {
		s.dropIdleConnections()
	}
	return err
}

// dropIdleConnections closes every idle connection of the pool.
func (s *Store) dropIdleConnections() {
	sqlDB, err := s.db.DB()
	if err != nil {
		return
	}
	sqlDB.SetMaxIdleConns(0)
	sqlDB.SetMaxIdleConns(s.maxIdle)
}
