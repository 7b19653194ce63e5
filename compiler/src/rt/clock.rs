//! The cycle clock, kept exactly: the frame of the last tempo change, the cycle position
//! at that frame as a fraction, and the tempo as a fraction. The position of any frame is
//! then `c0 + (frame − f0)·cps/sr`, computed in 128-bit integers, never summed per sample,
//! so nothing drifts however long it runs.
//!
//! The clock lives in a keyed buffer of the program's state ([`LEN`] f64s, every value an
//! integer below 2⁵³), so it is carried through every swap like any other state. At the
//! start of every block the block function calls [`sync`] with the program's tempo: the
//! first call starts the clock at cycle 0; a call with another tempo (the first block of
//! an edited program) restarts the count from that frame at the position reached, so a
//! tempo edit changes the speed from the swap frame on without moving the position.

/// f64s in a clock buffer.
pub const LEN: usize = 8;
const F0: usize = 0;
const C0N: usize = 1;
const C0D: usize = 2;
const CPSN: usize = 3;
/// 0 while the clock has not started.
const CPSD: usize = 4;
/// Counts tempo changes, so cursors know to find their place again.
pub const EPOCH: usize = 5;
const SR: usize = 6;

/// Largest denominator kept for the position at a tempo change; past it the position is
/// rounded to the nearest `1/(cps_den·sr)` of a cycle (less than half a frame).
const MAX_DEN: i128 = 1 << 50;

/// An exact cycle position `n/d` (d > 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub n: i128,
    pub d: i128,
}

impl Pos {
    /// `n/d` reduced.
    pub fn new(n: i128, d: i128) -> Pos {
        let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
        let g = gcd(n.unsigned_abs(), d.unsigned_abs()).max(1) as i128;
        Pos { n: n / g, d: d / g }
    }

    /// `⌊n/d⌋`.
    pub fn floor(self) -> i128 {
        self.n.div_euclid(self.d)
    }

    /// `self < o`, exactly.
    pub fn lt(self, o: Pos) -> bool {
        self.n.saturating_mul(o.d) < o.n.saturating_mul(self.d)
    }

    /// As f64 (for durations).
    pub fn to_f64(self) -> f64 {
        self.n as f64 / self.d as f64
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Whether the clock has started.
pub fn started(clock: &[f64]) -> bool {
    clock[CPSD] > 0.0
}

/// Brings the clock to `frame` at tempo `cps_n/cps_d` (see the module doc). Audio thread.
pub fn sync(clock: &mut [f64], frame: u64, cps_n: i64, cps_d: i64, sr: f64) {
    let sr = sr.round().max(1.0);
    if !started(clock) {
        clock[F0] = frame as f64;
        clock[C0N] = 0.0;
        clock[C0D] = 1.0;
        clock[CPSN] = cps_n as f64;
        clock[CPSD] = cps_d as f64;
        clock[EPOCH] = 1.0;
        clock[SR] = sr;
        return;
    }
    if clock[CPSN] == cps_n as f64 && clock[CPSD] == cps_d as f64 && clock[SR] == sr {
        return;
    }
    let p = position(clock, frame as i128);
    let p = if p.d > MAX_DEN {
        let d = cps_d as i128 * sr as i128;
        Pos::new((p.n * d + p.d / 2).div_euclid(p.d), d)
    } else {
        p
    };
    clock[F0] = frame as f64;
    clock[C0N] = p.n as f64;
    clock[C0D] = p.d as f64;
    clock[CPSN] = cps_n as f64;
    clock[CPSD] = cps_d as f64;
    clock[EPOCH] += 1.0;
    clock[SR] = sr;
}

/// The exact cycle position of `frame` (any frame, before `f0` too).
pub fn position(clock: &[f64], frame: i128) -> Pos {
    let (f0, c0n, c0d) = (clock[F0] as i128, clock[C0N] as i128, clock[C0D] as i128);
    let (cn, cd, sr) = (clock[CPSN] as i128, clock[CPSD] as i128, clock[SR] as i128);
    // c0n/c0d + (frame − f0)·cn/(cd·sr)
    let d = c0d * cd * sr;
    Pos::new(c0n * cd * sr + (frame - f0) * cn * c0d, d)
}

/// The first frame whose position is at or after `t`.
pub fn first_frame_at(clock: &[f64], t: Pos) -> i128 {
    let (f0, c0n, c0d) = (clock[F0] as i128, clock[C0N] as i128, clock[C0D] as i128);
    let (cn, cd, sr) = (clock[CPSN] as i128, clock[CPSD] as i128, clock[SR] as i128);
    // f0 + ⌈(t − c0)·cd·sr/cn⌉ with t − c0 = (tn·c0d − c0n·td)/(td·c0d)
    let num = (t.n.saturating_mul(c0d) - c0n.saturating_mul(t.d)).saturating_mul(cd * sr);
    let den = t.d.saturating_mul(c0d).saturating_mul(cn).max(1);
    f0 + ceil_div(num, den)
}

fn ceil_div(a: i128, b: i128) -> i128 {
    -((-a).div_euclid(b))
}

/// The sample rate the clock counts frames at.
pub fn sample_rate(clock: &[f64]) -> f64 {
    clock[SR]
}

/// The tempo in cycles per second, or 0 before the clock starts.
pub fn cps(clock: &[f64]) -> f64 {
    if started(clock) {
        clock[CPSN] / clock[CPSD]
    } else {
        0.0
    }
}

/// A tempo as an exact fraction: the literal's decimal text when there is one
/// (`0.37` is 37/100), else the f64 itself as the simplest fraction that reads back as
/// the same number (denominators up to 10⁹), else its exact binary value.
pub fn tempo_fraction(value: f64, literal: Option<&str>) -> (i64, i64) {
    if let Some(f) = literal.and_then(decimal) {
        return f;
    }
    simplest(value)
}

fn decimal(text: &str) -> Option<(i64, i64)> {
    let text = text.trim();
    if text.contains(['e', 'E']) {
        return None;
    }
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    if frac.len() > 9 || int.len() > 9 {
        return None;
    }
    let d = 10i64.pow(frac.len() as u32);
    let n = format!("{int}{frac}").parse::<i64>().ok()?;
    let g = gcd(n.unsigned_abs() as u128, d as u128).max(1) as i64;
    Some((n / g, d / g))
}

/// The simplest fraction equal to `x` as an f64 (continued fractions).
fn simplest(x: f64) -> (i64, i64) {
    let (mut h0, mut h1, mut k0, mut k1) = (0i128, 1i128, 1i128, 0i128);
    let mut y = x;
    for _ in 0..64 {
        let a = y.floor();
        if !a.is_finite() || a.abs() > 1e15 {
            break;
        }
        let a = a as i128;
        (h0, h1) = (h1, a * h1 + h0);
        (k0, k1) = (k1, a * k1 + k0);
        if k1 > 1_000_000_000 {
            break;
        }
        if (h1 as f64 / k1 as f64) == x {
            return (h1 as i64, k1 as i64);
        }
        let f = y - a as f64;
        if f == 0.0 {
            break;
        }
        y = 1.0 / f;
    }
    // Not simple: its exact binary value, scaled to fit.
    let d = 1i64 << 30;
    (((x * d as f64).round()) as i64, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tempos_read_exactly() {
        assert_eq!(tempo_fraction(0.37, Some("0.37")), (37, 100));
        assert_eq!(tempo_fraction(0.5, None), (1, 2));
        assert_eq!(tempo_fraction(120.0 / 240.0, None), (1, 2));
        assert_eq!(tempo_fraction(2.0 / 3.0, None), (2, 3));
        assert_eq!(tempo_fraction(1.0, Some("1")), (1, 1));
    }

    #[test]
    fn a_tempo_change_keeps_the_position() {
        let mut c = [0.0; LEN];
        sync(&mut c, 1000, 1, 2, 48_000.0);
        assert_eq!(position(&c, 1000), Pos::new(0, 1));
        assert_eq!(position(&c, 1000 + 96_000), Pos::new(1, 1));
        sync(&mut c, 1000 + 48_000, 1, 2, 48_000.0);
        assert_eq!(c[EPOCH], 1.0, "same tempo: nothing changes");
        sync(&mut c, 1000 + 48_000, 37, 100, 48_000.0);
        assert_eq!(c[EPOCH], 2.0);
        assert_eq!(position(&c, 1000 + 48_000), Pos::new(1, 2));
        // 0.37 cycles a second from there.
        assert_eq!(position(&c, 1000 + 96_000), Pos::new(1, 2).add(37, 100));
        assert_eq!(first_frame_at(&c, Pos::new(1, 2)), 49_000);
        assert_eq!(first_frame_at(&c, Pos::new(87, 100)), 97_000);
        assert_eq!(first_frame_at(&c, Pos::new(8700001, 10000000)), 97_001);
    }

    impl Pos {
        fn add(self, n: i128, d: i128) -> Pos {
            Pos::new(self.n * d + n * self.d, self.d * d)
        }
    }
}
