//! Exact rational time in cycles, as Tidal's `Rational`.
//!
//! A [`Time`] is a reduced fraction of two `i64`s with a positive denominator. The
//! operators compute in `i128` and reduce before narrowing, so only results that cannot be
//! written with 64-bit parts fail; a failure never panics or wraps: it records a
//! `QueryError` for the running query (see `fault.rs`) and yields 0.
//! The `checked_*` methods return `None` instead, for code outside queries.

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};
use std::str::FromStr;

use crate::fault::{raise, QueryError};

/// A point or length in cycles: an exact, reduced fraction.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    num: i64,
    den: i64,
}

fn gcd64(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Time {
    /// Zero cycles.
    pub const ZERO: Time = Time { num: 0, den: 1 };
    /// One cycle.
    pub const ONE: Time = Time { num: 1, den: 1 };

    /// `n` whole cycles.
    pub const fn int(n: i64) -> Time {
        Time { num: n, den: 1 }
    }

    /// The fraction `num/den` reduced; `None` when `den` is 0 or the result overflows.
    pub fn new(num: i64, den: i64) -> Option<Time> {
        Time::reduce(num as i128, den as i128)
    }

    fn reduce(num: i128, den: i128) -> Option<Time> {
        if den == 0 {
            return None;
        }
        // Most times are small: reduce in 64 bits, which is several times faster.
        if let (Ok(n), Ok(d)) = (i64::try_from(num), i64::try_from(den)) {
            if n != i64::MIN && d != i64::MIN {
                let g = gcd64(n.unsigned_abs(), d.unsigned_abs()) as i64;
                let g = if g == 0 { 1 } else { g };
                let (n, d) = (n / g, d / g);
                return if d < 0 {
                    Some(Time {
                        num: n.checked_neg()?,
                        den: -d,
                    })
                } else {
                    Some(Time { num: n, den: d })
                };
            }
        }
        let g = gcd(num.unsigned_abs(), den.unsigned_abs()) as i128;
        let g = if g == 0 { 1 } else { g };
        let (mut n, mut d) = (num / g, den / g);
        if d < 0 {
            n = n.checked_neg()?;
            d = d.checked_neg()?;
        }
        Some(Time {
            num: i64::try_from(n).ok()?,
            den: i64::try_from(d).ok()?,
        })
    }

    /// The numerator (sign-carrying) of the reduced fraction.
    pub fn numer(self) -> i64 {
        self.num
    }

    /// The denominator (always positive) of the reduced fraction.
    pub fn denom(self) -> i64 {
        self.den
    }

    /// `self + o`, or `None` on overflow.
    pub fn checked_add(self, o: Time) -> Option<Time> {
        if self.den == o.den {
            // Common denominators (steps of one sequence) need no cross products.
            return Time::reduce(self.num as i128 + o.num as i128, self.den as i128);
        }
        let (a, b, c, d) = (
            self.num as i128,
            self.den as i128,
            o.num as i128,
            o.den as i128,
        );
        Time::reduce(
            a.checked_mul(d)?.checked_add(c.checked_mul(b)?)?,
            b.checked_mul(d)?,
        )
    }

    /// `self - o`, or `None` on overflow.
    pub fn checked_sub(self, o: Time) -> Option<Time> {
        self.checked_add(o.checked_neg()?)
    }

    /// `self * o`, or `None` on overflow.
    pub fn checked_mul(self, o: Time) -> Option<Time> {
        let (a, b, c, d) = (
            self.num as i128,
            self.den as i128,
            o.num as i128,
            o.den as i128,
        );
        Time::reduce(a.checked_mul(c)?, b.checked_mul(d)?)
    }

    /// `self / o`, or `None` on overflow or when `o` is zero.
    pub fn checked_div(self, o: Time) -> Option<Time> {
        let (a, b, c, d) = (
            self.num as i128,
            self.den as i128,
            o.num as i128,
            o.den as i128,
        );
        Time::reduce(a.checked_mul(d)?, b.checked_mul(c)?)
    }

    /// `-self`, or `None` for the one unrepresentable value.
    pub fn checked_neg(self) -> Option<Time> {
        Some(Time {
            num: self.num.checked_neg()?,
            den: self.den,
        })
    }

    /// The largest integer at or below `self`.
    pub fn floor(self) -> i64 {
        self.num.div_euclid(self.den)
    }

    /// The smallest integer at or above `self`.
    pub fn ceil(self) -> i64 {
        let f = self.floor();
        if f.checked_mul(self.den) == Some(self.num) {
            f
        } else {
            f + 1
        }
    }

    /// The start of the cycle `self` is in (Tidal's `sam`).
    pub fn sam(self) -> Time {
        Time::int(self.floor())
    }

    /// The start of the next cycle (Tidal's `nextSam`).
    pub fn next_sam(self) -> Time {
        self.sam() + Time::ONE
    }

    /// The position within the cycle, in [0, 1) (Tidal's `cyclePos`).
    pub fn cycle_pos(self) -> Time {
        // num mod den cannot overflow, unlike `self - sam`.
        Time {
            num: self.num.rem_euclid(self.den),
            den: self.den,
        }
    }

    /// True for whole numbers of cycles.
    pub fn is_int(self) -> bool {
        self.den == 1
    }

    /// The smaller of two times.
    pub fn min(self, o: Time) -> Time {
        if o < self {
            o
        } else {
            self
        }
    }

    /// The larger of two times.
    pub fn max(self, o: Time) -> Time {
        if o > self {
            o
        } else {
            self
        }
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// The simplest fraction that reads back as `x`: the decimal it prints as when that is
    /// short, up to 9 decimals (0.1 is 1/10, as a user who wrote `0.1` means), else the smallest-denominator
    /// fraction that converts to exactly `x` (1.0/3.0 is 1/3), else the exact decimal.
    /// `None` for NaN, infinities, or when the value needs more than 64-bit parts.
    pub fn from_f64(x: f64) -> Option<Time> {
        if !x.is_finite() {
            return None;
        }
        let dec = parse_decimal(&format!("{x:e}"))?;
        if dec.den <= 1_000_000_000 {
            return Some(dec);
        }
        // Continued-fraction convergents of |x|, smallest denominator first.
        let (neg, mut y) = (x < 0.0, x.abs());
        let (mut p0, mut q0, mut p1, mut q1) = (0i128, 1i128, 1i128, 0i128);
        for _ in 0..64 {
            let a = y.floor();
            if a > 1e18 {
                break;
            }
            let a = a as i128;
            let (p2, q2) = (a * p1 + p0, a * q1 + q0);
            if q2 > 1_000_000_000 || p2 > i64::MAX as i128 {
                break;
            }
            if (p2 as f64 / q2 as f64) == x.abs() {
                return Time::reduce(if neg { -p2 } else { p2 }, q2);
            }
            (p0, q0, p1, q1) = (p1, q1, p2, q2);
            let f = y - a as f64;
            if f == 0.0 {
                break;
            }
            y = 1.0 / f;
        }
        Some(dec)
    }

    /// The time truncated toward zero and its fractional part (Haskell's `properFraction`).
    pub fn proper_fraction(self) -> (i64, Time) {
        let q = self.num / self.den;
        let r = self.num % self.den;
        (
            q,
            Time {
                num: r,
                den: self.den,
            },
        )
    }
}

/// Parses `[-]digits[.digits][e[-]digits]` exactly.
fn parse_decimal(s: &str) -> Option<Time> {
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let (int_part, frac_part) = match mant.find('.') {
        Some(i) => (&mant[..i], &mant[i + 1..]),
        None => (mant, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    let mut num: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let mut scale = exp.checked_sub(frac_part.len() as i32)?;
    let mut den: i128 = 1;
    if num == 0 {
        scale = 0;
    }
    while scale > 0 {
        num = num.checked_mul(10)?;
        scale -= 1;
    }
    while scale < 0 {
        den = den.checked_mul(10)?;
        scale += 1;
        // Keep the denominator small where the numerator allows: 1.50e0 is 3/2.
        if num % 10 == 0 && den > 1 {
            num /= 10;
            den /= 10;
        }
    }
    if neg {
        num = -num;
    }
    Time::reduce(num, den)
}

/// Why a text could not be read as a time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeParseError(pub String);

impl fmt::Display for TimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimeParseError {}

impl FromStr for Time {
    type Err = TimeParseError;

    /// Reads `3`, `-5/4`, `0.25` or `1e-3` exactly.
    fn from_str(s: &str) -> Result<Time, TimeParseError> {
        let t = s.trim();
        let bad = || {
            TimeParseError(format!("`{t}` is not a time: write an integer, a fraction like `3/4` or a decimal like `0.25`"))
        };
        if let Some((n, d)) = t.split_once('/') {
            let n: i64 = n.trim().parse().map_err(|_| bad())?;
            let d: i64 = d.trim().parse().map_err(|_| bad())?;
            if d == 0 {
                return Err(TimeParseError(format!("`{t}` divides by zero")));
            }
            return Time::new(n, d).ok_or_else(bad);
        }
        parse_decimal(t).ok_or_else(bad)
    }
}

fn or_fault(r: Option<Time>, e: QueryError) -> Time {
    r.unwrap_or_else(|| {
        raise(e);
        Time::ZERO
    })
}

impl Add for Time {
    type Output = Time;
    fn add(self, o: Time) -> Time {
        or_fault(self.checked_add(o), QueryError::Overflow)
    }
}

impl Sub for Time {
    type Output = Time;
    fn sub(self, o: Time) -> Time {
        or_fault(self.checked_sub(o), QueryError::Overflow)
    }
}

impl Mul for Time {
    type Output = Time;
    fn mul(self, o: Time) -> Time {
        or_fault(self.checked_mul(o), QueryError::Overflow)
    }
}

impl Div for Time {
    type Output = Time;
    fn div(self, o: Time) -> Time {
        if o.num == 0 {
            raise(QueryError::DivisionByZero);
            return Time::ZERO;
        }
        or_fault(self.checked_div(o), QueryError::Overflow)
    }
}

impl Neg for Time {
    type Output = Time;
    fn neg(self) -> Time {
        or_fault(self.checked_neg(), QueryError::Overflow)
    }
}

impl From<i64> for Time {
    fn from(n: i64) -> Time {
        Time::int(n)
    }
}

impl Ord for Time {
    fn cmp(&self, o: &Time) -> Ordering {
        // Cross-multiplied in i128: exact, and cannot overflow for i64 parts.
        (self.num as i128 * o.den as i128).cmp(&(o.num as i128 * self.den as i128))
    }
}

impl PartialOrd for Time {
    fn partial_cmp(&self, o: &Time) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Default for Time {
    fn default() -> Time {
        Time::ZERO
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

impl fmt::Debug for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// The least common multiple of two positive whole-cycle counts, `None` on overflow.
pub(crate) fn lcm(a: i64, b: i64) -> Option<i64> {
    if a <= 0 || b <= 0 {
        return None;
    }
    let g = gcd(a as u128, b as u128) as i64;
    (a / g).checked_mul(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(n: i64, d: i64) -> Time {
        Time::new(n, d).unwrap()
    }

    #[test]
    fn reduces_and_keeps_the_denominator_positive() {
        assert_eq!(t(2, 4), t(1, 2));
        assert_eq!(t(3, -6).to_string(), "-1/2");
        assert_eq!(t(0, -5).to_string(), "0");
        assert_eq!(Time::new(1, 0), None);
    }

    #[test]
    fn displays_like_the_brief() {
        assert_eq!(Time::ZERO.to_string(), "0");
        assert_eq!(t(1, 3).to_string(), "1/3");
        assert_eq!(t(-5, 4).to_string(), "-5/4");
    }

    #[test]
    fn sam_next_sam_and_cycle_pos_follow_floor() {
        assert_eq!(t(7, 4).sam(), Time::ONE);
        assert_eq!(t(-1, 4).sam(), Time::int(-1));
        assert_eq!(t(-1, 4).cycle_pos(), t(3, 4));
        assert_eq!(t(-1, 4).next_sam(), Time::ZERO);
        assert_eq!(Time::int(2).cycle_pos(), Time::ZERO);
        assert_eq!(t(-5, 4).ceil(), -1);
        assert_eq!(t(5, 4).ceil(), 2);
        assert_eq!(Time::int(3).ceil(), 3);
    }

    #[test]
    fn proper_fraction_truncates_toward_zero_like_haskell() {
        assert_eq!(t(-7, 4).proper_fraction(), (-1, t(-3, 4)));
        assert_eq!(t(7, 4).proper_fraction(), (1, t(3, 4)));
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(t(1, 3) + t(1, 6), t(1, 2));
        assert_eq!(t(1, 3) - t(1, 2), t(-1, 6));
        assert_eq!(t(2, 3) * t(3, 4), t(1, 2));
        assert_eq!(t(2, 3) / t(4, 3), t(1, 2));
        assert!(t(1, 3) < t(1, 2));
        assert_eq!(t(1, 3).max(t(1, 2)), t(1, 2));
        assert_eq!(t(1, 3).min(t(1, 2)), t(1, 3));
    }

    #[test]
    fn overflow_is_none_not_a_panic_or_a_wrap() {
        let big = Time::int(i64::MAX);
        assert_eq!(big.checked_add(Time::ONE), None);
        assert_eq!(big.checked_mul(Time::int(2)), None);
        assert_eq!(Time::int(i64::MIN).checked_neg(), None);
        assert_eq!(t(1, i64::MAX).checked_mul(t(1, 3)), None);
        // Reduction first: this fits although the raw product does not.
        assert_eq!(big.checked_mul(t(1, i64::MAX)), Some(Time::ONE));
        let r = crate::fault::checked(|| big + Time::ONE);
        assert_eq!(r, Err(QueryError::Overflow));
        let r = crate::fault::checked(|| Time::ONE / Time::ZERO);
        assert_eq!(r, Err(QueryError::DivisionByZero));
    }

    #[test]
    fn random_arithmetic_is_exact_or_refused() {
        // Checked against exact 128-bit cross-multiplication; never a panic or a wrap.
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Mix tiny, medium and extreme magnitudes.
            match x % 4 {
                0 => (x >> 60) as i64 - 8,
                1 => (x >> 33) as i64 - (1 << 30),
                2 => x as i64,
                _ => [i64::MIN, i64::MAX, -1, 0, 1][(x >> 3) as usize % 5],
            }
        };
        for _ in 0..20_000 {
            let (a, b, c, d) = (next(), next(), next(), next());
            let (Some(p), Some(q)) = (Time::new(a, b), Time::new(c, d)) else {
                continue;
            };
            // Cross-multiplied in i128; a reference that itself overflows is skipped.
            let eq = |r: Time, n: i128, m: i128| match (
                (r.numer() as i128).checked_mul(m),
                n.checked_mul(r.denom() as i128),
            ) {
                (Some(x), Some(y)) => x == y,
                _ => true,
            };
            let (pn, pd, qn, qd) = (
                p.numer() as i128,
                p.denom() as i128,
                q.numer() as i128,
                q.denom() as i128,
            );
            if let Some(r) = p.checked_add(q) {
                if let (Some(n), Some(m)) = ((pn * qd).checked_add(qn * pd), pd.checked_mul(qd)) {
                    assert!(eq(r, n, m), "{p} + {q} = {r}");
                }
            }
            if let Some(r) = p.checked_mul(q) {
                assert!(eq(r, pn * qn, pd * qd), "{p} * {q} = {r}");
            }
            if let Some(r) = p.checked_div(q) {
                let (n, m) = (pn * qd, pd * qn);
                assert!(m != 0 && eq(r, n, m), "{p} / {q} = {r}");
            }
            assert!(p.denom() > 0);
            assert!(p.cycle_pos() >= Time::ZERO && p.cycle_pos() < Time::ONE);
            let _ = (
                p.floor(),
                p.ceil(),
                p.to_f64(),
                p.proper_fraction(),
                p.to_string(),
            );
            let _ = crate::fault::checked(|| (p + q, p - q, p * q, p / q, -p));
        }
    }

    #[test]
    fn parses_integers_fractions_and_decimals_exactly() {
        assert_eq!("3".parse::<Time>().unwrap(), Time::int(3));
        assert_eq!("-5/4".parse::<Time>().unwrap(), t(-5, 4));
        assert_eq!("0.25".parse::<Time>().unwrap(), t(1, 4));
        assert_eq!("1.5e1".parse::<Time>().unwrap(), Time::int(15));
        assert_eq!("1e-3".parse::<Time>().unwrap(), t(1, 1000));
        assert!("1/0".parse::<Time>().is_err());
        assert!("x".parse::<Time>().is_err());
        assert!("".parse::<Time>().is_err());
        assert!("1e99".parse::<Time>().is_err());
    }

    #[test]
    fn from_f64_reads_the_decimal_the_float_prints_as() {
        assert_eq!(Time::from_f64(0.1), Some(t(1, 10)));
        assert_eq!(Time::from_f64(-2.5), Some(t(-5, 2)));
        assert_eq!(Time::from_f64(3.0), Some(Time::int(3)));
        assert_eq!(Time::from_f64(f64::NAN), None);
        assert_eq!(Time::from_f64(1e300), None);
        assert_eq!(Time::from_f64(1.0 / 3.0), Some(t(1, 3)));
        assert_eq!(Time::from_f64(-2.0 / 7.0), Some(t(-2, 7)));
        assert_eq!(Time::from_f64(0.123456789), Some(t(123456789, 1000000000)));
    }
}
