//! Builtins that reach into the past: one-sample memory and the delay line.

use super::{opt, req, Builtin, Emitter};
use crate::ir::{BinOp, NodeId, Op};

/// Longest delay a `delay` may be given, in seconds (a buffer of 2²⁴ samples at 48 kHz
/// is 128 MiB of f64).
pub const MAX_DELAY_SECS: f64 = 300.0;

/// Most samples all of a program's delay lines may hold together: 2²⁷ f64s, 1 GiB.
/// A `sum` of long delays would otherwise ask for more memory than the machine has, and
/// the allocation failure would abort the player with the old program's sound.
pub const MAX_DELAY_SAMPLES: usize = 1 << 27;

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "mem",
        params: &[req("input"), opt("init", 0.0)],
        summary: "The input one sample ago (`x'` is `mem x`). `init` must be a constant.",
        formula: "y[n] = x[n−1], y[0] = init",
        lower: |e, a| {
            let init = e
                .constant(a[1])
                .ok_or("the initial value of `mem` must be a constant")?;
            let (cell, prev) = e.state("z", init);
            e.set_next(cell, a[0]);
            Ok(prev)
        },
    },
    Builtin {
        name: "delay",
        params: &[req("input"), req("secs"), opt("max", 1.0)],
        summary: "Delay line with linear interpolation; holds max(max, secs) seconds when secs is constant.",
        formula: "t = clamp(secs·sr, 0, len−2); d moves toward t by at most 1/4 sample per sample, \
and is t itself when t is within reach (a new delay starts at t); i = floor(d), f = d − i: \
y = a + f·(b − a) with a = x[n−i], b = x[n−i−1]; \
x before n = 0 is 0; len = power of two ≥ max·sr + 2",
        lower: |e, a| {
            let max = e
                .constant(a[2])
                .ok_or("the maximum time of `delay` must be a constant")?;
            let max = e.constant(a[1]).map_or(max, |s| s.max(max));
            if !(0.0..=MAX_DELAY_SECS).contains(&max) {
                return Err(format!(
                    "a delay holds at most {MAX_DELAY_SECS} seconds, not {}",
                    crate::fmt_num(max)
                ));
            }
            let len = (max * e.sr()).ceil() as usize + 2;
            let buf = e.buffer("buf", len);
            if e.buffers_total() > MAX_DELAY_SAMPLES {
                return Err(format!(
                    "the delay lines of this program need {:.1} GiB, more than the 1 GiB limit: shorten the `max` or the number of delays",
                    e.buffers_total() as f64 * 8.0 / (1u64 << 30) as f64
                ));
            }
            let len = e.buffer_len(buf) as f64;
            let (cell, pos) = e.state("pos", 0.0);
            let one = e.c(1.0);
            let p1 = e.add(pos, one);
            let len_c = e.c(len);
            let wrapped = e.bin(BinOp::Ge, p1, len_c);
            let zero = e.c(0.0);
            let next = e.select(wrapped, zero, p1);
            e.set_next(cell, next);
            let sr = e.c(e.sr());
            let target = e.mul(a[1], sr);
            // Clamped before the glide, so the read position never sits outside the line
            // (and a glide back from a too-long time starts moving at once).
            let zero = e.c(0.0);
            let longest = e.c(len - 2.0);
            let target = e.bin(BinOp::Max, target, zero);
            let target = e.bin(BinOp::Min, target, longest);
            let samples = glide(e, target);
            Ok(e.op(Op::Delay {
                buf,
                pos,
                input: a[0],
                samples,
            }))
        },
    },
];

/// Fastest the read position of a delay moves toward a new time, in samples per sample.
/// A changed delay time (an edit, or a jump in a signal) then glides like tape, with a
/// pitch bend of at most 25%, instead of jumping to other samples with a click.
pub const MAX_GLIDE: f64 = 0.25;

/// The delay time actually used: the target, approached at most [`MAX_GLIDE`] per
/// sample. Exact (no rounding) whenever the target is within reach, so a steady or
/// slowly moving delay time is used as given.
fn glide(e: &mut Emitter, target: NodeId) -> NodeId {
    // NaN: "not set yet". Every comparison with NaN is false, so the first sample takes
    // the target as it is, with no test of its own.
    let (cell, prev) = e.state("time", f64::NAN);
    // prev − target, not target − prev: the same tests (rounding to nearest is symmetric,
    // so one difference is exactly the other negated), and x64 then subtracts a constant
    // target straight from memory instead of first loading it into a register.
    let behind = e.sub(prev, target);
    let rate = e.c(MAX_GLIDE);
    let up = e.add(prev, rate);
    let down = e.sub(prev, rate);
    let neg_rate = e.c(-MAX_GLIDE);
    let too_high = e.bin(BinOp::Lt, behind, neg_rate);
    let too_low = e.bin(BinOp::Gt, behind, rate);
    let limited = e.select(too_low, down, target);
    let d = e.select(too_high, up, limited);
    e.set_next(cell, d);
    d
}
