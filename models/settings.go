package models

import (
	"context"
	"errors"
)

// Keys of the settings table.
const (
	SettingDemoData   = "demo_data"
	SettingSessionKey = "session_key"
)

// Setting returns a stored value or ErrNotFound.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var values []string
	if err := s.db.WithContext(ctx).Table("settings").Where("key = ?", key).Pluck("value", &values).Error; err != nil {
		return "", err
	}
	if len(values) == 0 {
		return "", ErrNotFound
	}
	return values[0], nil
}

// SetSettingOnce stores value under key unless a value is there already,
// and returns whichever value is stored: two instances starting together
// agree on one value.
func (s *Store) SetSettingOnce(ctx context.Context, key, value string) (string, error) {
	err := s.db.WithContext(ctx).Exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, value).Error
	if err != nil {
		return "", err
	}
	return s.Setting(ctx, key)
}

// IsDemo says whether the database was filled with demo data.
func (s *Store) IsDemo(ctx context.Context) (bool, error) {
	v, err := s.Setting(ctx, SettingDemoData)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return v == "true", err
}
