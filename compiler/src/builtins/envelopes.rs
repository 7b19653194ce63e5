//! Envelopes driven by a gate or trigger signal, with the semantics of Faust's
//! `envelopes.lib` (`en.adsr`, `en.ar`, `en.asr`, Yann Orlarey, Stéphane Letz, Andrey
//! Bundin): linear segments counted in samples, the first gated sample already one step
//! up the attack, and a release that starts from the level held at gate-off. Plus
//! Phonon's one-shot `xline` and `curve`. Phonon's per-cycle forms (`ad 0.01 0.2`,
//! `adsr 0.01 0.1 0.7 0.2`, `line 0 1` with no gate) are built on these in
//! `lower/cycle.rs`. See docs/envelopes.md.

use super::{opt, req, text, Builtin, Emitter};
use crate::ir::{BinOp, NodeId, UnOp};

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "adsr",
        params: &[
            req("gate"),
            req("attack"),
            req("decay"),
            opt("sustain", 0.7),
            opt("release", 0.2),
        ],
        summary: "Faust's `en.adsr` on a gate: attack, decay and release in seconds, sustain a level.",
        formula: "an, dn, rn = max(1, secs·sr); t ← t·(g[n−1] ≥ g) + g; r ← (r + 1)·(g = 0); \
ADS = min(t/an, max(1 + an·(1 − s)/dn − t·(1 − s)/dn, s)); y = max(ADS·(1 − r/rn), 0); t, r, g[−1] start at 0",
        lower: |e, a| adsr(e, a[0], a[1], a[2], a[3], a[4]),
    },
    Builtin {
        name: "ar",
        params: &[req("trigger"), req("attack"), req("release")],
        summary: "Faust's `en.ar`: restarts on each rising edge of the trigger, rises over attack, falls over release.",
        formula: "an, rn = max(1, secs·sr); t ← (t + (t > 0))·(g ≤ g[n−1]) + (g > g[n−1]); \
y = max(min(t·(1/an), 1 + an·(1/rn) − t·(1/rn)), 0)",
        lower: |e, a| ar(e, a[0], a[1], a[2]),
    },
    Builtin {
        name: "ad",
        params: &[req("trigger"), req("attack"), req("decay")],
        summary: "Phonon's name for `ar`: attack then decay to 0 on each rising edge.",
        formula: "as `ar`",
        lower: |e, a| ar(e, a[0], a[1], a[2]),
    },
    Builtin {
        name: "asr",
        params: &[req("gate"), req("attack"), req("release"), opt("sustain", 1.0)],
        summary: "Faust's `en.asr` (Phonon's argument order): rises to sustain while the gate is on, falls after.",
        formula: "an, rn = max(1, secs·sr); t ← t·(g[n−1] ≥ g) + g; r ← (r + 1)·(g = 0); \
y = max(min(t·(s/an), s) − r·(s/rn), 0)",
        lower: |e, a| asr(e, a[0], a[1], a[3], a[2]),
    },
    Builtin {
        name: "env",
        params: &[
            req("input"),
            req("attack"),
            req("decay"),
            req("sustain"),
            req("release"),
        ],
        summary: "Phonon's `env`: the input times an `adsr` whose gate opens when it first plays and stays open.",
        formula: "input · adsr(1, attack, decay, sustain, release), the gate 1 from the first sample (0 before)",
        lower: |e, a| {
            let one = e.c(1.0);
            let level = adsr(e, one, a[1], a[2], a[3], a[4])?;
            Ok(e.mul(a[0], level))
        },
    },
    Builtin {
        name: "xline",
        params: &[req("start"), req("end"), req("secs")],
        summary: "Phonon's exponential glide from start to end over secs, once, from when it first plays.",
        formula: "p = min(k/max(secs·sr, 1), 1) with k = samples since it started (0 first); \
y = end if p ≥ 1 or secs < 1e-5; start + (end − start)·p if |start| < 1e-5 or start, end differ in sign; else start·(end/start)^p",
        lower: xline,
    },
    Builtin {
        name: "curve",
        params: &[req("start"), req("end"), req("secs"), req("curve")],
        summary: "Phonon's curved glide from start to end over secs, once (curve 0 is linear, < 0 fast start).",
        formula: "k = samples since it started, counting 1 on the first; t = min(k/sr/max(secs, 0.001), 1); \
c = t if |curve| < 0.001 else (exp(curve·t) − 1)/(exp(curve) − 1); y = start + (end − start)·c",
        lower: curve,
    },
    Builtin {
        name: "segments",
        params: &[text("levels"), text("times")],
        summary: "Phonon's segments: straight lines through the levels, each taking its time in seconds, once from where it starts; then the last level.",
        formula: "levels L₀…L_N and times d₀…d_{N−1} (seconds) written in quotes; n = samples since it started, 1 on the first; \
segment i lasts kᵢ = max(1, ⌈dᵢ·sr⌉) samples from Bᵢ = k₀ + … + k_{i−1}; in it y = Lᵢ + (Lᵢ₊₁ − Lᵢ)·min((n − Bᵢ)/(dᵢ·sr), 1); \
after the last, y = L_N (Phonon counts each segment's seconds in f32 steps of 1/sr, so its ends may differ by a sample)",
        lower: |e, _| {
            let levels = numbers(e.text(0)?, "levels")?;
            let times = numbers(e.text(1)?, "times")?;
            if levels.len() < 2 {
                return Err(format!("`segments` needs two levels or more, not {}", levels.len()));
            }
            if times.len() + 1 != levels.len() {
                return Err(format!(
                    "`segments` takes one time per segment: {} levels make {} segments, and the times are {}",
                    levels.len(),
                    levels.len() - 1,
                    times.len()
                ));
            }
            if let Some(d) = times.iter().find(|d| !(**d >= 0.0 && d.is_finite())) {
                return Err(format!("a time of `segments` is a number of seconds from 0 up, not {}", crate::fmt_num(*d)));
            }
            let sr = e.sr();
            let (cell, prev) = e.state("time", 0.0)?;
            let one = e.c(1.0);
            let n = e.add(prev, one);
            e.set_next(cell, n);
            // From the last segment back: each one's line below its end, the rest above.
            let mut y = e.c(levels[levels.len() - 1]);
            let mut starts = Vec::with_capacity(times.len());
            let mut b = 0.0f64;
            for d in &times {
                starts.push(b);
                b += (d * sr).ceil().max(1.0);
            }
            for i in (0..times.len()).rev() {
                let end = starts[i] + (times[i] * sr).ceil().max(1.0);
                let bi = e.c(starts[i]);
                let m = e.sub(n, bi);
                let len = e.c(times[i] * sr);
                let frac = e.div(m, len);
                let frac = e.bin(BinOp::Min, frac, one);
                let l0 = e.c(levels[i]);
                let dl = e.c(levels[i + 1] - levels[i]);
                let line = e.mul(dl, frac);
                let line = e.add(l0, line);
                let ec = e.c(end);
                let within = e.bin(BinOp::Le, n, ec);
                y = e.select(within, line, y);
            }
            Ok(y)
        },
    },
];

/// `max(1, secs·sr)`: a segment's length in samples.
fn samples(e: &mut Emitter, secs: NodeId) -> NodeId {
    let sr = e.c(e.sr());
    let n = e.mul(secs, sr);
    let one = e.c(1.0);
    e.bin(BinOp::Max, one, n)
}

/// The gate one sample ago (Faust's `gate'`, 0 before the start), and the cell to set.
fn previous_gate(e: &mut Emitter, gate: NodeId) -> Result<NodeId, String> {
    let (cell, prev) = e.state("gate", 0.0)?;
    e.set_next(cell, gate);
    Ok(prev)
}

/// Faust's attack time of `adsr`/`asr`: `+(gate) ~ *(gate' >= gate)`, counting up by
/// the gate while it does not rise, restarting at the gate when it does.
fn attack_time(e: &mut Emitter, gate: NodeId, prev_gate: NodeId) -> Result<NodeId, String> {
    let (cell, t) = e.state("attack", 0.0)?;
    let keep = e.bin(BinOp::Ge, prev_gate, gate);
    let kept = e.mul(t, keep);
    let t = e.add(kept, gate);
    e.set_next(cell, t);
    Ok(t)
}

/// Faust's release time: `(+(1) : *(gate == 0)) ~ _`, samples since the gate closed
/// (counting 1 on the first), 0 while it is open.
fn release_time(e: &mut Emitter, gate: NodeId) -> Result<NodeId, String> {
    let (cell, r) = e.state("release", 0.0)?;
    let one = e.c(1.0);
    let r1 = e.add(r, one);
    let zero = e.c(0.0);
    let closed = e.bin(BinOp::Eq, gate, zero);
    let r = e.mul(r1, closed);
    e.set_next(cell, r);
    Ok(r)
}

/// `en.adsr(at, dt, sl, rt, gate)`.
fn adsr(
    e: &mut Emitter,
    gate: NodeId,
    at: NodeId,
    dt: NodeId,
    sl: NodeId,
    rt: NodeId,
) -> Result<NodeId, String> {
    let an = samples(e, at);
    let dn = samples(e, dt);
    let rn = samples(e, rt);
    let one = e.c(1.0);
    let adelta = e.div(one, an);
    let drop = e.sub(one, sl);
    let ddelta = e.div(drop, dn);
    let g1 = previous_gate(e, gate)?;
    let t = attack_time(e, gate, g1)?;
    let a = e.mul(t, adelta);
    let d0 = {
        let x = e.mul(an, ddelta);
        e.add(one, x)
    };
    let d = {
        let x = e.mul(t, ddelta);
        e.sub(d0, x)
    };
    let ds = e.bin(BinOp::Max, d, sl);
    let ads = e.bin(BinOp::Min, a, ds);
    let r = release_time(e, gate)?;
    let rr = e.div(r, rn);
    let fall = e.sub(one, rr);
    let y = e.mul(ads, fall);
    let zero = e.c(0.0);
    Ok(e.bin(BinOp::Max, y, zero))
}

/// `en.ar(at, rt, gate)`.
fn ar(e: &mut Emitter, gate: NodeId, at: NodeId, rt: NodeId) -> Result<NodeId, String> {
    let an = samples(e, at);
    let rn = samples(e, rt);
    let one = e.c(1.0);
    let adelta = e.div(one, an);
    let rdelta = e.div(one, rn);
    let g1 = previous_gate(e, gate)?;
    let upfront = e.bin(BinOp::Gt, gate, g1);
    let reset = e.bin(BinOp::Le, gate, g1);
    let (cell, t) = e.state("attack", 0.0)?;
    let zero = e.c(0.0);
    let positive = e.bin(BinOp::Gt, t, zero);
    let raised = e.add(t, positive);
    let kept = e.mul(raised, reset);
    let t = e.add(kept, upfront);
    e.set_next(cell, t);
    let a = e.mul(t, adelta);
    let d0 = {
        let x = e.mul(an, rdelta);
        e.add(one, x)
    };
    let d = {
        let x = e.mul(t, rdelta);
        e.sub(d0, x)
    };
    let y = e.bin(BinOp::Min, a, d);
    Ok(e.bin(BinOp::Max, y, zero))
}

/// `en.asr(at, sl, rt, gate)`.
fn asr(
    e: &mut Emitter,
    gate: NodeId,
    at: NodeId,
    sl: NodeId,
    rt: NodeId,
) -> Result<NodeId, String> {
    let an = samples(e, at);
    let rn = samples(e, rt);
    let adelta = e.div(sl, an);
    let rdelta = e.div(sl, rn);
    let g1 = previous_gate(e, gate)?;
    let t = attack_time(e, gate, g1)?;
    let a = e.mul(t, adelta);
    let as_ = e.bin(BinOp::Min, a, sl);
    let r = release_time(e, gate)?;
    let rr = e.mul(r, rdelta);
    let y = e.sub(as_, rr);
    let zero = e.c(0.0);
    Ok(e.bin(BinOp::Max, y, zero))
}

/// Samples since this envelope started: 0 on its first sample, then 1, 2, …
fn elapsed(e: &mut Emitter) -> Result<NodeId, String> {
    let (cell, k) = e.state("elapsed", 0.0)?;
    let one = e.c(1.0);
    let next = e.add(k, one);
    e.set_next(cell, next);
    Ok(k)
}

/// Phonon's `xline` (`SignalNode::XLine`).
fn xline(e: &mut Emitter, a: &[NodeId]) -> Result<NodeId, String> {
    let (start, end, secs) = (a[0], a[1], a[2]);
    let k = elapsed(e)?;
    let zero = e.c(0.0);
    let dur = e.bin(BinOp::Max, secs, zero);
    let sr = e.c(e.sr());
    let n = e.mul(dur, sr);
    let one = e.c(1.0);
    let total = e.bin(BinOp::Max, n, one);
    let p = e.div(k, total);
    let p = e.bin(BinOp::Min, p, one);
    let span = e.sub(end, start);
    let lin = {
        let x = e.mul(span, p);
        e.add(start, x)
    };
    let expo = {
        let ratio = e.div(end, start);
        let x = e.bin(BinOp::Pow, ratio, p);
        e.mul(start, x)
    };
    let tiny = e.c(1e-5);
    let mag = e.un(UnOp::Abs, start);
    let from_zero = e.bin(BinOp::Lt, mag, tiny);
    let sp = e.bin(BinOp::Gt, start, zero);
    let ep = e.bin(BinOp::Gt, end, zero);
    let crosses = e.bin(BinOp::Ne, sp, ep);
    let linear = e.bin(BinOp::Max, from_zero, crosses);
    let moving = e.select(linear, lin, expo);
    let done = e.bin(BinOp::Ge, p, one);
    let instant = e.bin(BinOp::Lt, dur, tiny);
    let at_end = e.bin(BinOp::Max, done, instant);
    Ok(e.select(at_end, end, moving))
}

/// Phonon's `curve` (`SignalNode::Curve`, after SuperCollider's `Env` curves).
fn curve(e: &mut Emitter, a: &[NodeId]) -> Result<NodeId, String> {
    let (start, end, secs, c) = (a[0], a[1], a[2], a[3]);
    let k = elapsed(e)?;
    let one = e.c(1.0);
    let k = e.add(k, one);
    let inv_sr = e.c(1.0 / e.sr());
    let s = e.mul(k, inv_sr);
    let min = e.c(0.001);
    let dur = e.bin(BinOp::Max, secs, min);
    let t = e.div(s, dur);
    let t = e.bin(BinOp::Min, t, one);
    let ct = e.mul(c, t);
    let num = {
        let x = e.un(UnOp::Exp, ct);
        e.sub(x, one)
    };
    let den = {
        let x = e.un(UnOp::Exp, c);
        e.sub(x, one)
    };
    let bent = e.div(num, den);
    let mag = e.un(UnOp::Abs, c);
    let straight = e.bin(BinOp::Lt, mag, min);
    let shaped = e.select(straight, t, bent);
    let span = e.sub(end, start);
    let x = e.mul(span, shaped);
    Ok(e.add(start, x))
}

/// The numbers of a quoted list (`"0 1 0.5"`), for `segments`.
fn numbers(text: &str, what: &str) -> Result<Vec<f64>, String> {
    text.split_whitespace()
        .map(|w| {
            w.parse::<f64>()
                .map_err(|_| format!("the {what} of `segments` are numbers, and `{w}` is not one"))
        })
        .collect()
}
