package workforce

import (
	"math/big"
	"math/bits"
)

// rat is an exact rational: two int64s while they fit, math/big when they
// do not. The auditor's figures are sums of groups, so their eliminations
// rarely leave small integers; the fallback keeps the answer exact when
// they do.
type rat struct {
	n, d int64 // d > 0, gcd(n, d) = 1, when b is nil
	b    *big.Rat
}

func ratInt(n int64) rat { return rat{n: n, d: 1} }

func (x rat) big() *big.Rat {
	if x.b != nil {
		return x.b
	}
	return big.NewRat(x.n, x.d)
}

func fromBig(b *big.Rat) rat {
	if b.Num().IsInt64() && b.Denom().IsInt64() {
		return rat{n: b.Num().Int64(), d: b.Denom().Int64()}
	}
	return rat{b: b}
}

func (x rat) isZero() bool {
	if x.b != nil {
		return x.b.Sign() == 0
	}
	return x.n == 0
}

func gcd(a, b int64) int64 {
	if a < 0 {
		a = -a
	}
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// mul64 multiplies, reporting overflow.
func mul64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	neg := (a < 0) != (b < 0)
	ua, ub := uint64(a), uint64(b)
	if a < 0 {
		ua = uint64(-a)
	}
	if b < 0 {
		ub = uint64(-b)
	}
	hi, lo := bits.Mul64(ua, ub)
	if hi != 0 || lo > 1<<62 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

func small(n, d int64) rat {
	if d < 0 {
		n, d = -n, -d
	}
	g := gcd(n, d)
	if g > 1 {
		n, d = n/g, d/g
	}
	return rat{n: n, d: d}
}

func ratMul(x, y rat) rat {
	if x.b == nil && y.b == nil && x.n > -1<<40 && x.n < 1<<40 && y.n > -1<<40 && y.n < 1<<40 {
		if n, ok := mul64(x.n, y.n); ok {
			if d, ok := mul64(x.d, y.d); ok {
				return small(n, d)
			}
		}
	}
	return fromBig(new(big.Rat).Mul(x.big(), y.big()))
}

func ratQuo(x, y rat) rat {
	if y.b == nil {
		return ratMul(x, small(y.d, y.n))
	}
	return fromBig(new(big.Rat).Quo(x.big(), y.big()))
}

func ratSub(x, y rat) rat {
	if x.b == nil && y.b == nil {
		a, ok1 := mul64(x.n, y.d)
		b, ok2 := mul64(y.n, x.d)
		d, ok3 := mul64(x.d, y.d)
		if ok1 && ok2 && ok3 && a > -1<<61 && a < 1<<61 && b > -1<<61 && b < 1<<61 {
			return small(a-b, d)
		}
	}
	return fromBig(new(big.Rat).Sub(x.big(), y.big()))
}
