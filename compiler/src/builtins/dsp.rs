//! Shared DSP parts that builtins build their IR from: the delay line (with its gliding
//! read position), the one-pole smoother and the biquad (with the RBJ cookbook
//! coefficients). A builtin that needs one of these calls it here instead of copying its
//! nodes, so `delay`, `lpf`, and the reverbs, combs and allpasses built on them share one
//! definition each (and one test of it in `compiler/tests/builtins.rs`).
//!
//! Each part takes a `prefix` for its slot names, so one call site can own several
//! (`comb3_buf`, `comb3_pos`, …); the builtins with one part use the empty prefix
//! (`~a/delay#0.buf`, `~a/lpf#0.y1`).

use super::Emitter;
use crate::ir::{BinOp, NodeId, Op, UnOp};
use std::f64::consts::TAU;

/// Longest delay a `delay` may be given, in seconds (a buffer of 2²⁴ samples at 48 kHz
/// is 128 MiB of f64).
pub const MAX_DELAY_SECS: f64 = 300.0;

/// Most samples all of a program's delay lines may hold together: 2²⁷ f64s, 1 GiB.
/// A `sum` of long delays would otherwise ask for more memory than the machine has, and
/// the allocation failure would abort the player with the old program's sound.
pub const MAX_DELAY_SAMPLES: usize = crate::ir::validate::MAX_BUFFER;

/// Fastest the read position of a delay moves toward a new time, in samples per sample.
/// A changed delay time (an edit, or a jump in a signal) then glides like tape, with a
/// pitch bend of at most 25%, instead of jumping to other samples with a click.
pub const MAX_GLIDE: f64 = 0.25;

/// How long a delay line delays.
#[derive(Clone, Copy, Debug)]
pub enum DelayTime {
    /// In seconds (converted at the sample rate).
    Secs(NodeId),
    /// In seconds that lie within the line by construction (or are NaN): the clamp to the
    /// line is left out, as it would return them unchanged (Max and Min pass NaN on).
    SecsInLine(NodeId),
    /// In samples.
    Samples(NodeId),
    /// In samples that lie within the line by construction (or are NaN), as `SecsInLine`.
    SamplesInLine(NodeId),
    /// In samples, used as given (clamped to the line) with no glide: for a reader whose
    /// time moves faster than [`MAX_GLIDE`] by design and hides its own jumps (the
    /// crossfaded taps of `pitch_shift`).
    Jumping(NodeId),
}

/// A delay line holding at least `max_samples` samples of `input`, read `time` behind
/// the newest (fractional: linear interpolation). The read time is clamped to the line
/// and glides toward a new value at most [`MAX_GLIDE`] samples per sample (see
/// [`glide`]). Slots: `<prefix>buf`, `<prefix>pos` (write position: frames written so
/// far, taken modulo the line's power-of-two length), `<prefix>time`.
pub fn delay_line(
    e: &mut Emitter,
    prefix: &str,
    input: NodeId,
    time: DelayTime,
    max_samples: usize,
) -> Result<NodeId, String> {
    Ok(delay_taps(e, prefix, input, &[time], max_samples)?[0])
}

/// One delay line read at several times: tap `k` is what [`delay_line`] with `times[k]`
/// reads, bit for bit, but the line is written once and held once (a chorus's voices).
/// Slots: those of [`delay_line`] for tap 0, and `<prefix>tap<k>_time` for tap `k ≥ 1`.
pub fn delay_taps(
    e: &mut Emitter,
    prefix: &str,
    input: NodeId,
    times: &[DelayTime],
    max_samples: usize,
) -> Result<Vec<NodeId>, String> {
    let (cell, pos) = e.state(&format!("{prefix}pos"), 0.0)?;
    let buf = e.buffer(&format!("{prefix}buf"), max_samples + 2, cell)?;
    if e.buffers_total() > MAX_DELAY_SAMPLES {
        return Err(format!(
            "the delay lines of this program need {:.1} GiB, more than the 1 GiB limit: shorten the `max` or the number of delays",
            e.buffers_total() as f64 * 8.0 / (1u64 << 30) as f64
        ));
    }
    // The write position counts frames and is not wrapped: the line's length is a power
    // of two, and the write and the reads take it modulo the length from its integer
    // bits (exact below 2⁵², some 3000 years at 48 kHz). A wrap here was a compare and a
    // select on the position's own recurrence, every sample.
    let one = e.c(1.0);
    let next = e.add(pos, one);
    e.set_next(cell, next);
    let len = e.buffer_len(buf) as f64;
    let zero = e.c(0.0);
    let mut taps = Vec::with_capacity(times.len());
    for (k, &time) in times.iter().enumerate() {
        let (samples, glides) = match time {
            DelayTime::Secs(secs) | DelayTime::SecsInLine(secs) => {
                let sr = e.c(e.sr());
                (e.mul(secs, sr), true)
            }
            DelayTime::Samples(n) | DelayTime::SamplesInLine(n) => (n, true),
            DelayTime::Jumping(n) => (n, false),
        };
        // Clamped before the glide, so the read position never sits outside the line (and a
        // glide back from a too-long time starts moving at once).
        let target = if matches!(time, DelayTime::SecsInLine(_) | DelayTime::SamplesInLine(_)) {
            samples
        } else {
            let longest = e.c(len - 2.0);
            let target = e.bin(BinOp::Max, samples, zero);
            e.bin(BinOp::Min, target, longest)
        };
        let samples = if !glides {
            target
        } else if k == 0 {
            glide(e, prefix, target)?
        } else {
            glide(e, &format!("{prefix}tap{k}_"), target)?
        };
        // Every tap writes the same input at the same position, so their order does not
        // matter; the store is cheaper than a separate read-only op.
        taps.push(e.op(Op::Delay {
            buf,
            pos,
            input,
            samples,
        }));
    }
    Ok(taps)
}

/// The delay time actually used: the target, approached at most [`MAX_GLIDE`] per
/// sample. Exact (no rounding) whenever the target is within reach, so a steady or
/// slowly moving delay time is used as given.
fn glide(e: &mut Emitter, prefix: &str, target: NodeId) -> Result<NodeId, String> {
    // NaN: "not set yet". Every comparison with NaN is false, so the first sample takes
    // the target as it is, with no test of its own.
    let (cell, prev) = e.state(&format!("{prefix}time"), f64::NAN)?;
    // The target clamped to [prev − rate, prev + rate], each bound as a compare and a
    // select of its own operands, which codegen makes one maxsd and one minsd (no trip
    // through integer registers); a NaN bound or target fails its compare and passes the
    // target on.
    let rate = e.c(MAX_GLIDE);
    let lo = e.sub(prev, rate);
    let hi = e.add(prev, rate);
    let below = e.bin(BinOp::Lt, target, lo);
    let t = e.select(below, lo, target);
    let above = e.bin(BinOp::Lt, hi, t);
    let d = e.select(above, hi, t);
    e.set_next(cell, d);
    Ok(d)
}

/// One-pole smoother `y ← y + coef·(x − y)`, returning the new `y`. Slot: `<prefix>y`.
pub fn onepole(e: &mut Emitter, prefix: &str, x: NodeId, coef: NodeId) -> Result<NodeId, String> {
    let (cell, y1) = e.state(&format!("{prefix}y"), 0.0)?;
    let d = e.sub(x, y1);
    let step = e.mul(coef, d);
    let y = e.add(y1, step);
    e.set_next(cell, y);
    Ok(y)
}

/// Normalised biquad coefficients (`a0 = 1`).
#[derive(Clone, Copy, Debug)]
pub struct Biquad {
    pub b0: NodeId,
    pub b1: NodeId,
    pub b2: NodeId,
    pub a1: NodeId,
    pub a2: NodeId,
}

/// The RBJ cookbook responses the biquad builtins offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Response {
    Low,
    High,
    Band,
    Notch,
}

/// Lowest cutoff a biquad takes, in Hz. Swept down to 1 Hz, the direct-form-I biquad's
/// coefficients move so close to its poles at z = 1 that it rang to 2.8× full scale.
const MIN_CUTOFF: f64 = 10.0;
/// Highest cutoff a biquad takes, as a fraction of the sample rate.
const MAX_CUTOFF_RATIO: f64 = 0.49;
/// Lowest q a biquad takes.
const MIN_Q: f64 = 0.01;

/// The coefficient formulas shared by the RBJ biquads, for the docs.
pub const RBJ_FORMULA: &str =
    "fc is clamped to [10 Hz, 0.49·sr] and q to at least 0.01; w = fc·(2π/sr), α = sin(w)·(0.5/q), r = 1/(1 + α), a1 = −2·cos(w)·r, a2 = (1 − α)·r; \
y = b0·x + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2], memory starts at 0";

/// The RBJ Audio-EQ Cookbook coefficients for a response at cutoff `fc` and `q`,
/// recomputed every sample (folded to constants when both are constant).
pub fn rbj(e: &mut Emitter, response: Response, fc: NodeId, q: NodeId) -> Biquad {
    // Outside these ranges the cookbook formulas give an unstable or NaN filter; a
    // cutoff swept below 0 Hz (Phonon's `~lfo * 2000 + 500`) must not blow up.
    let lo = e.c(MIN_CUTOFF);
    let hi = e.c(e.sr() * MAX_CUTOFF_RATIO);
    let fc = e.bin(BinOp::Max, fc, lo);
    let fc = e.bin(BinOp::Min, fc, hi);
    let qmin = e.c(MIN_Q);
    let q = e.bin(BinOp::Max, q, qmin);
    // One division per sample (r = 1/a0), not six: a divide costs as much as ten
    // multiplies, and with a moving cutoff these run every sample.
    let w_per_hz = e.c(TAU / e.sr());
    let w = e.mul(fc, w_per_hz);
    let cw = e.un(UnOp::Cos, w);
    let sw = e.un(UnOp::Sin, w);
    let half = e.c(0.5);
    let one = e.c(1.0);
    let two = e.c(2.0);
    let inv_2q = e.div(half, q);
    let alpha = e.mul(sw, inv_2q);
    let a0 = e.add(one, alpha);
    let r = e.div(one, a0);
    let m2cw = {
        let m = e.mul(two, cw);
        e.un(UnOp::Neg, m)
    };
    let a1 = e.mul(m2cw, r);
    let (b0, b1, b2) = match response {
        Response::Low | Response::High => {
            let k = match response {
                Response::Low => e.sub(one, cw),
                _ => e.add(one, cw),
            };
            let b1 = e.mul(k, r);
            let b0 = e.mul(b1, half);
            let b1 = match response {
                Response::Low => b1,
                _ => e.un(UnOp::Neg, b1),
            };
            (b0, b1, b0)
        }
        Response::Band => {
            let b0 = e.mul(alpha, r);
            let zero = e.c(0.0);
            let b2 = e.un(UnOp::Neg, b0);
            (b0, zero, b2)
        }
        // b1 = a1 = −2·cos(w)·r.
        Response::Notch => (r, a1, r),
    };
    let oma = e.sub(one, alpha);
    let a2 = e.mul(oma, r);
    Biquad { b0, b1, b2, a1, a2 }
}

/// A direct-form-I biquad over `x`. Slots: `<prefix>x1`, `x2`, `y1`, `y2`.
pub fn biquad(e: &mut Emitter, prefix: &str, x: NodeId, c: Biquad) -> Result<NodeId, String> {
    let (cx1, x1) = e.state(&format!("{prefix}x1"), 0.0)?;
    let (cx2, x2) = e.state(&format!("{prefix}x2"), 0.0)?;
    let (cy1, y1) = e.state(&format!("{prefix}y1"), 0.0)?;
    let (cy2, y2) = e.state(&format!("{prefix}y2"), 0.0)?;
    let t0 = e.mul(c.b0, x);
    let t1 = e.mul(c.b1, x1);
    let t2 = e.mul(c.b2, x2);
    let t3 = e.mul(c.a1, y1);
    let t4 = e.mul(c.a2, y2);
    let s = e.add(t0, t1);
    let s = e.add(s, t2);
    let s = e.sub(s, t3);
    let y = e.sub(s, t4);
    e.set_next(cx1, x);
    e.set_next(cx2, x1);
    e.set_next(cy1, y);
    e.set_next(cy2, y1);
    Ok(y)
}

/// A phase accumulator in slot `slot` starting at `init`, read before it advances by
/// `freq/sr` (the oscillators' convention).
pub fn phase_at(e: &mut Emitter, slot: &str, init: f64, freq: NodeId) -> Result<NodeId, String> {
    Ok(phase_and_next(e, slot, init, freq)?.0)
}

/// [`phase_at`]'s phase and the value it takes next sample.
pub fn phase_and_next(
    e: &mut Emitter,
    slot: &str,
    init: f64,
    freq: NodeId,
) -> Result<(NodeId, NodeId), String> {
    let (cell, p) = e.state(slot, init)?;
    let sr = e.c(e.sr());
    let inc = e.div(freq, sr);
    let sum = e.add(p, inc);
    let next = e.frac(sum);
    e.set_next(cell, next);
    Ok((p, next))
}

/// `min(max(x, lo), hi)`.
pub fn clamp(e: &mut Emitter, x: NodeId, lo: f64, hi: f64) -> NodeId {
    let (l, h) = (e.c(lo), e.c(hi));
    let m = e.bin(BinOp::Max, x, l);
    e.bin(BinOp::Min, m, h)
}
