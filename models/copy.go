package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unsafe"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// RowSource yields the rows of a bulk load one at a time, in the order of
// the columns given to CopyRows, and ok=false after the last row. It may
// reuse the returned slice: each row is encoded before the next is asked
// for. It must not use the database, whose connection is busy copying.
type RowSource func() (row []any, ok bool, err error)

// Loader is a store bound to one transaction on one dedicated connection,
// for loading many rows at once: CopyRows and the ordinary store methods
// called on it commit or roll back together.
type Loader struct {
	*Store
	conn *sql.Conn // the connection the transaction runs on, for COPY
}

// Load runs fn in one transaction on one connection held for the whole
// load, and commits if fn returns nil.
func (s *Store) Load(ctx context.Context, fn func(l *Loader) error) error {
	return s.db.WithContext(ctx).Connection(func(c *gorm.DB) error {
		conn, ok := c.Statement.ConnPool.(*sql.Conn)
		if !ok {
			return errors.New("bulk load: no dedicated connection")
		}
		return c.Transaction(func(tx *gorm.DB) error {
			return fn(&Loader{Store: &Store{db: tx, dialect: s.dialect}, conn: conn})
		})
	})
}

// modelTable is how model T is stored, as GORM maps it: its table, and a
// column for each field an insert writes, in the order of the fields.
type modelTable struct {
	table   string
	columns []string
	fields  []modelField
	id      int // the column of the auto-increment id, or -1
}

type modelField struct {
	offset uintptr // in the struct
	typ    reflect.Type
}

func (s *Store) modelTable(model any) (modelTable, error) {
	stmt := &gorm.Statement{DB: s.db}
	if err := stmt.Parse(model); err != nil {
		return modelTable{}, fmt.Errorf("bulk load: %w", err)
	}
	t := modelTable{table: stmt.Schema.Table, id: -1}
	for _, f := range stmt.Schema.Fields {
		if f.DBName == "" || !f.Creatable {
			continue
		}
		if len(f.StructField.Index) != 1 {
			return modelTable{}, fmt.Errorf("bulk load: %s.%s is in an embedded struct", stmt.Schema.Name, f.Name)
		}
		if f.AutoIncrement {
			t.id = len(t.columns)
		}
		t.columns = append(t.columns, f.DBName)
		t.fields = append(t.fields, modelField{f.StructField.Offset, f.StructField.Type})
	}
	return t, nil
}

// TableOf is the table model T is stored in.
func TableOf[T any](s *Store) (string, error) {
	t, err := s.modelTable(new(T))
	return t.table, err
}

// CopyModels writes every value next fills into the table of model T, with
// a column for each field GORM maps (what the service's own inserts of T
// write), through CopyRows, and returns how many it wrote. With ids, the
// values' auto-increment ids are written as they are, for rows that refer
// to each other (see MaxID); without, the column is left out and the
// database numbers the rows. next fills the value it is given, zeroed for
// each row, and returns ok=false, leaving it unused, after the last; like a
// RowSource, it must not use the database.
func CopyModels[T any](ctx context.Context, l *Loader, ids bool, next func(v *T) (ok bool, err error)) (int64, error) {
	t, err := l.modelTable(new(T))
	if err != nil {
		return 0, err
	}
	if !ids && t.id >= 0 {
		t.columns = slices.Delete(t.columns, t.id, t.id+1)
		t.fields = slices.Delete(t.fields, t.id, t.id+1)
	}
	source, err := modelRows(t.fields, next)
	if err != nil {
		return 0, fmt.Errorf("bulk load into %s: %w", t.table, err)
	}
	return l.CopyRows(ctx, t.table, t.columns, source)
}

// modelRows reads the fields of each value next fills as a row of database
// values: nil for a nil pointer, int64 for any integer. Fields are read at
// their offsets rather than through reflect.Value, which took four times
// as long as the rest of making a row: a national load makes 48 million.
func modelRows[T any](fields []modelField, next func(*T) (bool, error)) (RowSource, error) {
	readers := make([]fieldReader, len(fields))
	for i, f := range fields {
		r, err := readerOf(f.typ)
		if err != nil {
			return nil, err
		}
		readers[i] = r
	}
	var v T
	base := unsafe.Pointer(&v)
	row := make([]any, len(fields))
	return func() ([]any, bool, error) {
		var zero T
		v = zero
		if ok, err := next(&v); !ok || err != nil {
			return nil, false, err
		}
		for i, f := range fields {
			row[i] = readers[i](unsafe.Add(base, f.offset))
		}
		return row, true, nil
	}, nil
}

// A fieldReader reads the field at p as a database value.
type fieldReader func(p unsafe.Pointer) any

var timeType = reflect.TypeFor[time.Time]()

// readerOf reads a field of type t. Its value is boxed anew only when it
// differs from the row before: rows in a load repeat values (an attempt's
// id and time on each of its answers), and a box for every value would be
// most of a large load's garbage.
func readerOf(t reflect.Type) (fieldReader, error) {
	if t.Kind() == reflect.Pointer {
		inner, err := readerOf(t.Elem())
		if err != nil {
			return nil, err
		}
		return func(p unsafe.Pointer) any {
			if q := *(*unsafe.Pointer)(p); q != nil {
				return inner(q)
			}
			return nil
		}, nil
	}
	if t == timeType {
		return reuse(func(p unsafe.Pointer) time.Time { return *(*time.Time)(p) }), nil
	}
	switch t.Kind() {
	case reflect.String:
		return stringReader(), nil
	case reflect.Bool:
		return func(p unsafe.Pointer) any { return *(*bool)(p) }, nil
	case reflect.Int:
		return reuse(func(p unsafe.Pointer) int64 { return int64(*(*int)(p)) }), nil
	case reflect.Int64:
		return reuse(func(p unsafe.Pointer) int64 { return *(*int64)(p) }), nil
	case reflect.Int32:
		return reuse(func(p unsafe.Pointer) int64 { return int64(*(*int32)(p)) }), nil
	case reflect.Uint:
		return reuse(func(p unsafe.Pointer) int64 { return int64(*(*uint)(p)) }), nil
	case reflect.Uint64:
		return reuse(func(p unsafe.Pointer) int64 { return int64(*(*uint64)(p)) }), nil
	case reflect.Uint32:
		return reuse(func(p unsafe.Pointer) int64 { return int64(*(*uint32)(p)) }), nil
	case reflect.Float64:
		return reuse(func(p unsafe.Pointer) float64 { return *(*float64)(p) }), nil
	}
	return nil, fmt.Errorf("no bulk load of a field of type %s", t)
}

// stringReader boxes a string once for as long as it stays in a small
// cache keyed by where its bytes are: the same bytes are the same string,
// and the box keeps them from being reused for another. The strings a load
// repeats (staff groups, statement codes) come from a few tables.
func stringReader() fieldReader {
	var cache [64]struct {
		data *byte
		len  int
		box  any
	}
	return func(p unsafe.Pointer) any {
		v := *(*string)(p)
		data := unsafe.StringData(v)
		c := &cache[uint64(uintptr(unsafe.Pointer(data)))*0x9e3779b97f4a7c15>>58] // Fibonacci hashing into 64 slots
		if c.box == nil || c.data != data || c.len != len(v) {
			c.data, c.len, c.box = data, len(v), v
		}
		return c.box
	}
}

// reuse boxes what get reads, keeping the box while the value is the same.
func reuse[V comparable](get func(unsafe.Pointer) V) fieldReader {
	var (
		last V
		box  any
	)
	return func(p unsafe.Pointer) any {
		if v := get(p); box == nil || v != last {
			last, box = v, v
		}
		return box
	}
}

// copyChunkRows bounds one COPY statement: PostgreSQL holds some state per
// statement until it ends, such as queued trigger events, and a table of
// tens of millions of rows should not hold it all at once.
const copyChunkRows = 1_000_000

// sqliteBatchVariables is how many values one INSERT binds on SQLite, far
// under its limit of 32766: the driver finds each value by searching the
// argument list, which is quadratic in their number, so that statements
// near the limit load 17,000 rows a second and statements of about 500
// values 220,000 (measured with skills answers).
const sqliteBatchVariables = 500

// CopyRows writes every row of next into table and returns how many it
// wrote: with COPY on PostgreSQL, and with multi-row INSERTs on SQLite.
func (l *Loader) CopyRows(ctx context.Context, table string, columns []string, next RowSource) (int64, error) {
	if !identifier(table) || len(columns) == 0 {
		return 0, fmt.Errorf("bulk load: bad table %q or no columns", table)
	}
	for _, c := range columns {
		if !identifier(c) {
			return 0, fmt.Errorf("bulk load: bad column %q", c)
		}
	}
	if l.dialect == Postgres {
		return l.copyPostgres(ctx, table, columns, next)
	}
	return l.insertSQLite(ctx, table, columns, next)
}

// copyPostgres checks the table's foreign keys once for the whole copy,
// as pg_restore does, instead of once per row, which took three quarters
// of the time: it drops them inside the transaction and adds them back
// after the copy, when PostgreSQL validates each with one join. Nothing
// outside the transaction sees the difference.
func (l *Loader) copyPostgres(ctx context.Context, table string, columns []string, next RowSource) (int64, error) {
	var keys []struct{ Name, Definition string }
	err := l.db.WithContext(ctx).Raw("SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint "+
		"WHERE conrelid = ?::regclass AND contype = 'f' ORDER BY conname", table).Scan(&keys).Error
	if err != nil {
		return 0, fmt.Errorf("foreign keys of %s: %w", table, err)
	}
	for _, k := range keys {
		if err := l.db.WithContext(ctx).Exec("ALTER TABLE " + table + " DROP CONSTRAINT " + pgx.Identifier{k.Name}.Sanitize()).Error; err != nil {
			return 0, fmt.Errorf("defer foreign key %s: %w", k.Name, err)
		}
	}
	var total int64
	err = l.conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("bulk load: PostgreSQL connection is a %T, not pgx", driverConn)
		}
		pc := sc.Conn()
		for done := false; !done; {
			n := 0
			src := pgx.CopyFromFunc(func() ([]any, error) {
				if n == copyChunkRows {
					return nil, nil
				}
				row, ok, err := next()
				if err != nil || !ok {
					done = true
					return nil, err
				}
				n++
				return row, nil
			})
			written, err := pc.CopyFrom(ctx, pgx.Identifier{table}, columns, src)
			total += written
			if err != nil {
				return fmt.Errorf("copy into %s: %w", table, err)
			}
		}
		return nil
	})
	if err != nil {
		return total, err
	}
	for _, k := range keys {
		err := l.db.WithContext(ctx).Exec("ALTER TABLE " + table + " ADD CONSTRAINT " + pgx.Identifier{k.Name}.Sanitize() + " " + k.Definition).Error
		if err != nil {
			return total, fmt.Errorf("check foreign key %s: %w", k.Name, err)
		}
	}
	return total, nil
}

func (l *Loader) insertSQLite(ctx context.Context, table string, columns []string, next RowSource) (int64, error) {
	pool := l.db.Statement.ConnPool
	perStatement := max(1, sqliteBatchVariables/len(columns))
	args := make([]any, 0, perStatement*len(columns))
	var (
		full  *sql.Stmt // the statement of a full batch, prepared once
		total int64
	)
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	flush := func() error {
		rows := len(args) / len(columns)
		if rows == perStatement {
			if full == nil {
				var err error
				if full, err = pool.PrepareContext(ctx, insertSQL(table, columns, rows)); err != nil {
					return fmt.Errorf("insert into %s: %w", table, err)
				}
			}
			if _, err := full.ExecContext(ctx, args...); err != nil {
				return fmt.Errorf("insert into %s: %w", table, err)
			}
		} else if _, err := pool.ExecContext(ctx, insertSQL(table, columns, rows), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		total += int64(rows)
		args = args[:0]
		return nil
	}
	for {
		row, ok, err := next()
		if err != nil {
			return total, err
		}
		if !ok {
			break
		}
		if len(row) != len(columns) {
			return total, fmt.Errorf("insert into %s: %d values for %d columns", table, len(row), len(columns))
		}
		args = append(args, row...)
		if len(args) == cap(args) {
			if err := flush(); err != nil {
				return total, err
			}
		}
	}
	if len(args) > 0 {
		if err := flush(); err != nil {
			return total, err
		}
	}
	return total, nil
}

// insertSQL is INSERT INTO table (columns) VALUES (?, ...), ... for rows rows.
func insertSQL(table string, columns []string, rows int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(columns)), ", ") + ")"
	var b strings.Builder
	b.Grow(len(table) + 30 + rows*(len(one)+2))
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// LockTables keeps other writers out of tables until the load commits, so
// that ids read with MaxID stay free for the load to write. SQLite's write
// transaction keeps every other writer out already.
func (l *Loader) LockTables(ctx context.Context, tables ...string) error {
	if l.dialect != Postgres || len(tables) == 0 {
		return nil
	}
	for _, t := range tables {
		if !identifier(t) {
			return fmt.Errorf("bulk load: bad table %q", t)
		}
	}
	return l.db.WithContext(ctx).Exec("LOCK TABLE " + strings.Join(tables, ", ") + " IN EXCLUSIVE MODE").Error
}

// MaxID is the highest id in table, 0 when it is empty: a load that writes
// its own ids numbers them from here, so that rows can refer to each other
// without reading anything back.
func (l *Loader) MaxID(ctx context.Context, table string) (int64, error) {
	if !identifier(table) {
		return 0, fmt.Errorf("bulk load: bad table %q", table)
	}
	var id int64
	err := l.db.WithContext(ctx).Raw("SELECT COALESCE(MAX(id), 0) FROM " + table).Scan(&id).Error
	return id, err
}

// SyncIDSequences moves each table's id sequence past the highest id, after
// rows were written with explicit ids, so that the service's next insert
// does not collide with them. On SQLite, AUTOINCREMENT follows explicit ids
// by itself.
func (l *Loader) SyncIDSequences(ctx context.Context, tables ...string) error {
	if l.dialect != Postgres {
		return nil
	}
	for _, t := range tables {
		if !identifier(t) {
			return fmt.Errorf("bulk load: bad table %q", t)
		}
		// An empty table gives max(id) NULL, and setval(…, NULL) changes nothing.
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), MAX(id)) FROM %s", t, t)
		if err := l.db.WithContext(ctx).Exec(q).Error; err != nil {
			return fmt.Errorf("sync id sequence of %s: %w", t, err)
		}
	}
	return nil
}

// Query scans the result of one read-only statement into dest (a pointer to
// a value, a struct or a slice of either), for administrative checks such
// as those that follow a bulk load; pages use the named queries instead.
func (s *Store) Query(ctx context.Context, dest any, sql string, args ...any) error {
	return s.db.WithContext(ctx).Raw(sql, args...).Scan(dest).Error
}

// identifier accepts the plain lower-case names of our tables and columns,
// which are put into SQL as they are.
func identifier(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return false
		}
	}
	return true
}
