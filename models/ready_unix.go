//go:build unix

package models

import (
	"fmt"
	"path/filepath"
	"syscall"
)

// minFreeBytes is the free space below which SQLite counts as full: a
// rolled-back write touches no disk, and a full disk fails the first write
// that needs a new page.
const minFreeBytes = 1 << 20

// ErrDiskFull is a database whose disk has no room left to write.
var ErrDiskFull = fmt.Errorf("less than %d KiB free beside the database file", minFreeBytes>>10)

// sqliteSpace checks the free space of the file system the file is on.
func (s *Store) sqliteSpace() error {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(s.path), &st); err != nil {
		return fmt.Errorf("free space: %w", err)
	}
	if uint64(st.Bavail)*uint64(st.Bsize) < minFreeBytes {
		return ErrDiskFull
	}
	return nil
}
