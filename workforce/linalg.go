package workforce

import (
	"math/bits"
	"slices"
)

// The builder decides secondary suppression by linear algebra: a figure can
// be worked out from published figures exactly when its vector (which
// groups of people it adds up) lies in the span of theirs. The builder
// works modulo the prime 2^61-1, which is fast; a modular answer can only
// err by finding a figure derivable when it is not, so it never publishes
// too much. The auditor (audit.go) checks the result again with exact
// rational arithmetic.

const prime = 1<<61 - 1

// entry is one non-zero coordinate of a sparse vector.
type entry struct {
	col int
	val uint64
}

// vector is a sparse vector modulo prime, its entries in column order.
type vector []entry

func addMod(a, b uint64) uint64 {
	s := a + b
	if s >= prime {
		s -= prime
	}
	return s
}

func subMod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + prime - b
}

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// 2^64 = 2^3 * 2^61, and 2^61 = 1 modulo prime.
	r := (lo & prime) + (lo >> 61) + (hi << 3)
	for r >= prime {
		r -= prime
	}
	return r
}

func powMod(a, e uint64) uint64 {
	r := uint64(1)
	for ; e > 0; e >>= 1 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
	}
	return r
}

func invMod(a uint64) uint64 { return powMod(a, prime-2) }

// ones is the vector with 1 in each of cols (which need not be sorted, and
// may repeat: a repeat adds).
func ones(cols []int) vector {
	v := make(vector, 0, len(cols))
	for _, c := range cols {
		v = append(v, entry{c, 1})
	}
	return normalise(v)
}

// normalise sorts v by column and merges repeats, dropping zeros.
func normalise(v vector) vector {
	slices.SortFunc(v, func(a, b entry) int { return a.col - b.col })
	out := v[:0]
	for _, e := range v {
		if n := len(out); n > 0 && out[n-1].col == e.col {
			out[n-1].val = addMod(out[n-1].val, e.val)
			if out[n-1].val == 0 {
				out = out[:n-1]
			}
			continue
		}
		if e.val != 0 {
			out = append(out, e)
		}
	}
	return out
}

// axpy returns v - f*w.
func axpy(v vector, f uint64, w vector) vector {
	out := make(vector, 0, len(v)+len(w))
	i, j := 0, 0
	for i < len(v) || j < len(w) {
		switch {
		case j == len(w) || (i < len(v) && v[i].col < w[j].col):
			out = append(out, v[i])
			i++
		case i == len(v) || w[j].col < v[i].col:
			out = append(out, entry{w[j].col, subMod(0, mulMod(f, w[j].val))})
			j++
		default:
			if x := subMod(v[i].val, mulMod(f, w[j].val)); x != 0 {
				out = append(out, entry{v[i].col, x})
			}
			i++
			j++
		}
	}
	return out
}

// span is a basis in echelon form: each row's pivot is its first column,
// scaled to 1, and no other row has that column. Each row remembers which
// input rows it came from (origin), so that a derivation can be named.
type span struct {
	rows   []vector
	origin []vector
	pivot  map[int]int // column -> index in rows
}

func newSpan() *span { return &span{pivot: map[int]int{}} }

// reduce returns the normal form of v against the span (no pivot column
// left in it) and the combination of input rows subtracted on the way.
func (s *span) reduce(v vector, track bool) (vector, vector) {
	var used vector
	for k := 0; k < len(v); {
		r, ok := s.pivot[v[k].col]
		if !ok {
			k++
			continue
		}
		f := v[k].val
		if track {
			used = normalise(append(used, scaled(s.origin[r], f)...))
		}
		v = axpy(v, f, s.rows[r])
		// v[k] is gone; the entries before it are unchanged, so carry on
		// at the same position.
	}
	return v, used
}

func scaled(v vector, f uint64) vector {
	out := make(vector, len(v))
	for i, e := range v {
		out[i] = entry{e.col, mulMod(e.val, f)}
	}
	return out
}

// add puts v into the span under the name id; it says whether v was new.
func (s *span) add(v vector, id int) bool {
	origin := vector{{id, 1}}
	for k := 0; k < len(v); {
		r, ok := s.pivot[v[k].col]
		if !ok {
			k++
			continue
		}
		f := v[k].val
		origin = normalise(append(origin, scaled(s.origin[r], subMod(0, f))...))
		v = axpy(v, f, s.rows[r])
	}
	if len(v) == 0 {
		return false
	}
	// Scale so the pivot is 1, then clear the pivot column from the other
	// rows, keeping every row's pivot its first column.
	inv := invMod(v[0].val)
	v, origin = scaled(v, inv), scaled(origin, inv)
	col := v[0].col
	for r, row := range s.rows {
		if i, ok := find(row, col); ok {
			f := row[i].val
			s.rows[r] = axpy(row, f, v)
			s.origin[r] = axpy(s.origin[r], f, origin)
		}
	}
	s.pivot[col] = len(s.rows)
	s.rows = append(s.rows, v)
	s.origin = append(s.origin, origin)
	return true
}

func find(v vector, col int) (int, bool) {
	return slices.BinarySearchFunc(v, col, func(e entry, c int) int { return e.col - c })
}
