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
/// 1 once the clock is anchored from outside: the program's tempo is then ignored.
const EXT: usize = 7;

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
    let same = clock[CPSN] == cps_n as f64 && clock[CPSD] == cps_d as f64 && clock[SR] == sr;
    if same || clock[EXT] != 0.0 {
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

/// Anchors the clock from outside: position `at` at `frame`, tempo `cps_n/cps_d` from
/// there (before it too: the line runs both ways). From now on [`sync`] ignores the
/// program's tempo. An anchor that changes nothing (the same line sent again, or carried
/// into a new program) does not disturb the cursors. Audio thread: allocation-free.
///
/// `at.d`, `cps_d` and `cps_n` must be positive and `at.n`, `at.d` below 2⁵³ (see
/// [`crate::ClockAnchor`], which makes such values); anything else is ignored.
pub fn anchor(clock: &mut [f64], frame: u64, at: Pos, cps_n: i64, cps_d: i64, sr: f64) {
    const EXACT: i128 = 1 << 53;
    let ok = at.d > 0 && at.d < EXACT && at.n.abs() < EXACT && cps_n > 0 && cps_d > 0;
    if !ok || frame >= 1 << 53 {
        return;
    }
    let sr = sr.round().max(1.0);
    let line = [
        frame as f64,
        at.n as f64,
        at.d as f64,
        cps_n as f64,
        cps_d as f64,
    ];
    let fresh = !started(clock);
    if !fresh && clock[EXT] != 0.0 && clock[SR] == sr && clock[F0..=CPSD] == line {
        return;
    }
    // The same line written from another frame is the same clock: cursors keep their
    // place unless the position or the tempo actually changes.
    let moved = fresh
        || clock[SR] != sr
        || clock[CPSN] != line[3]
        || clock[CPSD] != line[4]
        || position(clock, i128::from(frame)) != at;
    clock[F0..=CPSD].copy_from_slice(&line);
    clock[SR] = sr;
    clock[EXT] = 1.0;
    if fresh {
        clock[EPOCH] = 1.0;
    } else if moved {
        clock[EPOCH] += 1.0;
    }
}

/// Where an outside clock (Ableton Link) puts the cycle clock: `cycle` cycles at absolute
/// frame `frame`, moving at `cps` cycles per second, both as exact fractions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockAnchor {
    /// The engine frame the position is for.
    pub frame: u64,
    /// The cycle position at `frame`, `n/d` (d > 0).
    pub cycle: (i64, i64),
    /// Cycles per second, `n/d` (both > 0).
    pub cps: (i64, i64),
}

/// Why a [`ClockAnchor`] could not be made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BadAnchor {
    /// The tempo is not finite, not above 0 or above the largest tempo.
    Tempo(f64),
    /// The position is not finite or too far from 0 to keep exactly.
    Cycle(f64),
}

impl std::fmt::Display for BadAnchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadAnchor::Tempo(x) => write!(
                f,
                "a clock anchor's tempo must be above 0 and at most {} cycles per second, not {x}",
                crate::lower::MAX_TEMPO
            ),
            BadAnchor::Cycle(x) => write!(
                f,
                "a clock anchor's cycle position must be finite and within ±{} cycles, not {x}",
                1u64 << ANCHOR_CYCLE_BITS
            ),
        }
    }
}

impl std::error::Error for BadAnchor {}

/// Positions are kept to 2⁻³⁰ of a cycle (under a nanosecond at any tempo kanonc plays),
/// so the numerator stays below 2⁵³ (exact in the f64 state) up to ±2²³ cycles.
const ANCHOR_DEN: i64 = 1 << 30;
const ANCHOR_CYCLE_BITS: u32 = 23;

impl ClockAnchor {
    /// `cycle` cycles at `frame`, at `cps`: the tempo as the simplest fraction that reads
    /// back as the same f64 (Link's 120 BPM is exactly 1/2), the position to 2⁻³⁰ of a
    /// cycle. Control side.
    pub fn new(frame: u64, cycle: f64, cps: f64) -> Result<ClockAnchor, BadAnchor> {
        if !(cps.is_finite() && cps > 0.0 && cps <= crate::lower::MAX_TEMPO) {
            return Err(BadAnchor::Tempo(cps));
        }
        let limit = (1u64 << ANCHOR_CYCLE_BITS) as f64;
        if !(cycle.is_finite() && cycle.abs() < limit) {
            return Err(BadAnchor::Cycle(cycle));
        }
        let (cn, cd) = tempo_fraction(cps, None);
        if cn <= 0 || cd <= 0 {
            return Err(BadAnchor::Tempo(cps));
        }
        let p = Pos::new(
            (cycle * ANCHOR_DEN as f64).round() as i128,
            ANCHOR_DEN.into(),
        );
        Ok(ClockAnchor {
            frame,
            cycle: (p.n as i64, p.d as i64),
            cps: (cn, cd),
        })
    }

    /// The position at `frame` as f64.
    pub fn cycle_f64(&self) -> f64 {
        self.cycle.0 as f64 / self.cycle.1 as f64
    }

    /// The tempo as f64.
    pub fn cps_f64(&self) -> f64 {
        self.cps.0 as f64 / self.cps.1 as f64
    }
}

/// Whether the clock is anchored from outside ([`anchor`]).
pub fn anchored(clock: &[f64]) -> bool {
    clock[EXT] != 0.0
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

    #[test]
    fn an_anchor_sets_the_line_and_holds_against_the_programs_tempo() {
        let mut c = [0.0; LEN];
        sync(&mut c, 0, 1, 2, 48_000.0);
        anchor(&mut c, 4800, Pos::new(41, 4), 3, 4, 48_000.0);
        assert!(anchored(&c));
        assert_eq!(c[EPOCH], 2.0);
        assert_eq!(position(&c, 4800), Pos::new(41, 4));
        // 0.75 cycles a second, both ways from the anchor.
        assert_eq!(position(&c, 4800 + 64_000), Pos::new(45, 4));
        assert_eq!(position(&c, 4800 - 16_000), Pos::new(40, 4));
        // The program's tempo (a swap to one at 1/2) no longer moves it.
        sync(&mut c, 9600, 1, 2, 48_000.0);
        assert_eq!(position(&c, 4800 + 64_000), Pos::new(45, 4));
        assert_eq!(c[EPOCH], 2.0);
        // The same line from another frame changes nothing, cursors included.
        anchor(&mut c, 4800 + 64_000, Pos::new(45, 4), 3, 4, 48_000.0);
        assert_eq!(c[EPOCH], 2.0);
        assert_eq!(position(&c, 4800), Pos::new(41, 4));
        // A moved line does.
        anchor(&mut c, 4800, Pos::new(42, 4), 3, 4, 48_000.0);
        assert_eq!(c[EPOCH], 3.0);
        // Nonsense is ignored.
        anchor(&mut c, 0, Pos { n: 1, d: 0 }, 3, 4, 48_000.0);
        anchor(&mut c, 0, Pos::new(1, 1), 0, 4, 48_000.0);
        anchor(&mut c, 0, Pos::new(1, 1), 3, -4, 48_000.0);
        assert_eq!(position(&c, 4800), Pos::new(42, 4));
        // A clock that never started starts on the anchor.
        let mut d = [0.0; LEN];
        anchor(&mut d, 100, Pos::new(-1, 2), 1, 1, 48_000.0);
        assert!(started(&d) && anchored(&d));
        assert_eq!((d[EPOCH], position(&d, 24_100)), (1.0, Pos::new(0, 1)));
    }

    impl Pos {
        fn add(self, n: i128, d: i128) -> Pos {
            Pos::new(self.n * d + n * self.d, self.d * d)
        }
    }
}
