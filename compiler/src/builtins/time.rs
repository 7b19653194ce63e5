//! Builtins that reach into the past: one-sample memory and the delay line.

use super::dsp::{self, DelayTime, MAX_DELAY_SECS};
use super::{opt, req, Builtin};
use crate::ir::{BinOp, UnOp};

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
    Builtin {
        name: "fbdelay",
        params: &[req("input"), req("time"), opt("feedback", 0.5), opt("mix", 0.5)],
        summary: "Phonon's delay, an echo (`delay` with four arguments is this): a one-second line fed back through tanh, mixed with the input.",
        formula: "D = clamp(⌊clamp(time, 0, 2)·sr⌋, 1, sr − 1) samples, fb = clamp(feedback, 0, 0.99), \
m = clamp(mix, 0, 1); w[n] = tanh(x[n] + fb·w[n − D]), w before 0 = 0; y = x·(1 − m) + w[n − D]·m",
        lower: |e, a| {
            let sr = e.sr();
            let len = sr.round() as usize;
            let time = dsp::clamp(e, a[1], 0.0, 2.0);
            let k = e.c(sr);
            let d = e.mul(time, k);
            let d = e.un(UnOp::Floor, d);
            let d = dsp::clamp(e, d, 1.0, (len - 1) as f64);
            // The line is fed last sample's w (a state cell) and read D − 1 behind it:
            // w[n − D], with no loop in the sample's graph.
            let (cell, prev) = e.state("w", 0.0)?;
            let one = e.c(1.0);
            let back = e.sub(d, one);
            let delayed = dsp::delay_line(e, "", prev, DelayTime::Jumping(back), len)?;
            let fb = dsp::clamp(e, a[2], 0.0, 0.99);
            let m = dsp::clamp(e, a[3], 0.0, 1.0);
            let f = e.mul(delayed, fb);
            let w = e.add(a[0], f);
            let w = e.un(UnOp::Tanh, w);
            e.set_next(cell, w);
            let dry_k = e.sub(one, m);
            let dry = e.mul(a[0], dry_k);
            let wet = e.mul(delayed, m);
            Ok(e.add(dry, wet))
        },
    },
];
