//! Builtins that reach into the past: one-sample memory and the delay line.

use super::dsp::{self, DelayTime, MAX_DELAY_SECS};
use super::{opt, req, Builtin};
use crate::ir::BinOp;

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
            let (cell, prev) = e.state("z", init)?;
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
            let samples = (max * e.sr()).ceil() as usize;
            dsp::delay_line(e, "", a[0], DelayTime::Secs(a[1]), samples)
        },
    },
    Builtin {
        name: "timer",
        params: &[req("trigger")],
        summary: "Phonon's timer: seconds since the trigger last rose through 0.5 (since the start before that).",
        formula: "y[n] = 0 when x[n−1] < 0.5 ≤ x[n], else y[n−1] + 1/sr; x[−1] = 0, y[−1] = 0",
        lower: |e, a| {
            let (time, t) = e.state("time", 0.0)?;
            let (last, xp) = e.state("last", 0.0)?;
            let half = e.c(0.5);
            let was_low = e.bin(BinOp::Lt, xp, half);
            let is_high = e.bin(BinOp::Ge, a[0], half);
            let rose = e.mul(was_low, is_high);
            let dt = e.c(1.0 / e.sr());
            let on = e.add(t, dt);
            let zero = e.c(0.0);
            let y = e.select(rose, zero, on);
            e.set_next(time, y);
            e.set_next(last, a[0]);
            Ok(y)
        },
    },
];
