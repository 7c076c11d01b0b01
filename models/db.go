// Package models holds the database models, the versioned migrations and the
// queries. A query returns domain values and named errors, never HTTP errors.
package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Named errors that handlers turn into pages.
var (
	ErrNotFound  = errors.New("not found")
	ErrDuplicate = errors.New("already exists")
	ErrConflict  = errors.New("changed by someone else")
)

// DefaultSQLitePath is where the zero-setup database lives.
const DefaultSQLitePath = "data/service.db"

// Dialect names the two supported databases.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Store wraps the database connection; handlers receive one through their
// dependency struct.
type Store struct {
	db      *gorm.DB
	dialect Dialect
	// maxIdle is the pool's idle connections, restored after dropping them.
	maxIdle int
	// path is the SQLite file, for the readiness check's free space.
	path string
}

// Default pool sizes: PostgreSQL's default max_connections (100) leaves
// room for four instances of 20 beside the administrator's slots; SQLite
// has one writer, so a few connections are enough for readers beside it.
const (
	DefaultPostgresMaxConns = 20
	DefaultSQLiteMaxConns   = 4
)

// Options tune the connection pool; the zero value means the defaults.
type Options struct {
	// MaxConns caps the open connections of this process. Across every
	// instance, instances × MaxConns must stay below PostgreSQL's
	// max_connections less its reserved slots.
	MaxConns int
}

// Open connects with the default options.
func Open(databaseURL string, log *slog.Logger) (*Store, error) {
	return OpenWith(databaseURL, log, Options{})
}

// OpenWith connects to PostgreSQL when databaseURL starts with postgres:// or
// postgresql://, and otherwise to an SQLite file (the path may be given as
// sqlite:PATH or as a plain path; empty means DefaultSQLitePath).
func OpenWith(databaseURL string, log *slog.Logger, opts Options) (*Store, error) {
	cfg := &gorm.Config{
		Logger:                 newGormLogger(log),
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		TranslateError:         true,
	}
	var (
		dialector gorm.Dialector
		dialect   Dialect
		path      string
	)
	switch {
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		dialector, dialect = postgres.Open(databaseURL), Postgres
	default:
		path = strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite://"), "sqlite:")
		if path == "" {
			path = DefaultSQLitePath
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
		// WAL lets readers run beside a writer; busy_timeout waits for a lock
		// instead of failing; immediate transactions avoid upgrade deadlocks.
		dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"
		dialector, dialect = sqlite.Open(dsn), SQLite
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	maxConns, maxIdle := opts.MaxConns, 0
	if dialect == SQLite {
		if maxConns <= 0 {
			maxConns = DefaultSQLiteMaxConns
		}
		maxIdle = maxConns
		sqlDB.SetMaxOpenConns(maxConns)
		sqlDB.SetMaxIdleConns(maxIdle)
	} else {
		if maxConns <= 0 {
			maxConns = DefaultPostgresMaxConns
		}
		maxIdle = min(10, maxConns)
		sqlDB.SetMaxOpenConns(maxConns)
		sqlDB.SetMaxIdleConns(maxIdle)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	return &Store{db: db, dialect: dialect, maxIdle: maxIdle, path: path}, nil
}

// MaxConns is the pool's cap on open connections.
func (s *Store) MaxConns() int {
	sqlDB, err := s.db.DB()
	if err != nil {
		return 0
	}
	return sqlDB.Stats().MaxOpenConnections
}

// Dialect says which database the store runs on.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return sqlDB.PingContext(ctx)
}

// Close closes the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// namedError turns GORM's record-not-found and duplicate-key errors into
// ErrNotFound and ErrDuplicate.
func namedError(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return ErrDuplicate
	}
	return err
}

// gormLogger sends failed and slow queries to slog, and with --log-sql
// (debug level) every statement with its values. A failed or slow query's
// line never carries values: they are what people typed.
type gormLogger struct {
	log *slog.Logger
	// withValues is --log-sql: statements are logged with their values, at
	// debug level only.
	withValues bool
}

func newGormLogger(log *slog.Logger) logger.Interface {
	return gormLogger{log: log, withValues: log.Enabled(context.Background(), slog.LevelDebug)}
}

func (l gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (l gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}
func (l gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (l gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

// ParamsFilter leaves the values out of the statement GORM gives Trace
// (placeholders stay), unless --log-sql asked for them.
func (l gormLogger) ParamsFilter(ctx context.Context, sql string, params ...any) (string, []any) {
	if l.withValues {
		return sql, params
	}
	return sql, nil
}

func (l gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	// The statement for a warning or an error: with placeholders, or left
	// out when --log-sql puts the values in it (its debug line follows).
	statement := func() []any {
		if l.withValues {
			return nil
		}
		sql, _ := fc()
		return []any{"sql", sql}
	}
	switch {
	case errors.Is(err, context.Canceled):
		// The client went away; the request's own line says so.
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, gorm.ErrDuplicatedKey):
		l.log.ErrorContext(ctx, "query failed", append(statement(), "err", LoggableError(err), "ms", elapsed.Milliseconds())...)
	case elapsed > 500*time.Millisecond:
		l.log.WarnContext(ctx, "slow query", append(statement(), "ms", elapsed.Milliseconds())...)
	}
	if l.withValues {
		// Every statement, when asked for: the benchmarks replay a page's
		// exact SQL directly against the database as their reference.
		sql, rows := fc()
		l.log.DebugContext(ctx, "sql", "sql", sql, "rows", rows, "us", elapsed.Microseconds())
	}
}

// LoggableError is err as it may be logged: PostgreSQL's data exceptions
// (SQLSTATE class 22, such as "invalid input syntax for type integer")
// quote the value they refused, so only their code is kept.
func LoggableError(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && strings.HasPrefix(pg.Code, "22") {
		return "data exception (SQLSTATE " + pg.Code + ")"
	}
	return err.Error()
}

// Exec runs one statement outside any model, for administrative work such
// as creating a test schema.
func (s *Store) Exec(ctx context.Context, sql string, args ...any) error {
	return s.db.WithContext(ctx).Exec(sql, args...).Error
}

// EngineVersion is the database engine's own version, as
// sqlite_version() or PostgreSQL's server_version.
func (s *Store) EngineVersion(ctx context.Context) (string, error) {
	q := "SELECT sqlite_version()"
	if s.dialect == Postgres {
		q = "SHOW server_version"
	}
	var v string
	if err := s.db.WithContext(ctx).Raw(q).Scan(&v).Error; err != nil {
		return "", err
	}
	return v, nil
}

// PoolStats are the connection pool's figures, for the metrics endpoint.
func (s *Store) PoolStats() (sql.DBStats, error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return sql.DBStats{}, err
	}
	return sqlDB.Stats(), nil
}
