//go:build !unix

package models

// sqliteSpace is not checked where the file system cannot be asked.
func (s *Store) sqliteSpace() error { return nil }
