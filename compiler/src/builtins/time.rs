//! Builtins that reach into the past: one-sample memory and the delay line.

use super::dsp::{self, DelayTime, MAX_DELAY_SECS};
use super::{opt, req, Builtin};

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
];
