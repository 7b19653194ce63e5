//! Instruments: `supersaw`, `fm`, the Karplus-Strong family (`pluck`, `waveguide`, `comb`)
//! and Phonon's envelope-free SuperDirt-named synths, with Phonon's parameter names and order. The strings and combs feed back through the shared
//! delay line of [`super::dsp`], so their tails carry through edits by key like `delay`'s.

use super::dsp::{self, clamp, phase_at, DelayTime};
use super::oscillators::white;
use super::{opt, req, Builtin, Emitter};
use crate::ir::{BinOp, NodeId, UnOp};

/// Lowest frequency a string or comb is tuned to, in Hz: its delay line holds sr/20 samples.
pub const MIN_STRING_HZ: f64 = 20.0;

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "supersaw",
        params: &[req("freq"), opt("detune", 0.3), opt("voices", 7.0)],
        summary: "Detuned saws spread over ±detune·10%, as Phonon's (voices a constant, 2 to 7).",
        formula: "v = clamp(trunc(voices), 2, 7); y = (0.7/v)·Σᵢ (2·pᵢ − 1), voice i ∈ 0..v at \
freq·(1 + (2i/(v − 1) − 1)·detune·0.1) with its phase pᵢ starting at frac(0.13·i)",
        lower: |e, a| {
            let v = e
                .constant(a[2])
                .ok_or("the number of voices of `supersaw` must be a constant")?;
            let v = v.trunc().clamp(2.0, 7.0) as usize;
            let mut sum = None;
            for i in 0..v {
                let offset = e.c(2.0 * i as f64 / (v - 1) as f64 - 1.0);
                let tenth = e.c(0.1);
                let d = e.mul(offset, a[1]);
                let d = e.mul(d, tenth);
                let one = e.c(1.0);
                let k = e.add(one, d);
                let f = e.mul(a[0], k);
                let init = (0.13 * i as f64).fract();
                let p = phase_at(e, &format!("phase{i}"), init, f)?;
                let two = e.c(2.0);
                let s = e.mul(two, p);
                let s = e.sub(s, one);
                sum = Some(match sum {
                    None => s,
                    Some(acc) => e.add(acc, s),
                });
            }
            let g = e.c(0.7 / v as f64);
            Ok(e.mul(sum.expect("at least two voices"), g))
        },
    },
    Builtin {
        name: "fm",
        params: &[req("carrier"), req("modulator"), req("index")],
        summary: "Two-operator FM (Chowning 1973): a sine carrier phase-modulated by a sine.",
        formula: "y = sin(2π·pc + max(index, 0)·sin(2π·pm)); pc, pm are the phases of \
max(carrier, 0) and max(modulator, 0) Hz, as the oscillators'",
        lower: |e, a| {
            let zero = e.c(0.0);
            let fc = e.bin(BinOp::Max, a[0], zero);
            let fm = e.bin(BinOp::Max, a[1], zero);
            let idx = e.bin(BinOp::Max, a[2], zero);
            let pc = phase_at(e, "carrier", 0.0, fc)?;
            let pm = phase_at(e, "modulator", 0.0, fm)?;
            let m = e.un(UnOp::SinTau, pm);
            let m = e.mul(idx, m);
            let tau = e.c(std::f64::consts::TAU);
            let c = e.mul(tau, pc);
            let arg = e.add(c, m);
            Ok(e.un(UnOp::Sin, arg))
        },
    },
    Builtin {
        name: "pluck",
        params: &[req("freq"), opt("damping", 0.5), opt("trig", 1.0)],
        summary: "Karplus-Strong plucked string (Karplus & Strong 1983, tuned as Jaffe & Smith 1983), \
plucked at the start and on each rising edge of trig.",
        formula: "f = clamp(freq, 20, 10000), N = sr/f; edge = trig > 0.5 and it was not the sample \
before; burst l = edge ? N : l (l starts at 0, then l ← max(l − 1, 0)); x = l > 0 ? noise : 0; \
g = 0.9995 − 0.001·clamp(damping, 0, 1) (Phonon's loss); \
y[n] = x + (g·0.5)·(y[n − N + 0.5] + y[n − N − 0.5]), read through `delay` of y[n−1] by N − 1.5 samples \
(its glide and linear interpolation) and a one-sample memory of that read",
        lower: |e, a| {
            let f = clamp(e, a[0], MIN_STRING_HZ, 10_000.0);
            let sr = e.c(e.sr());
            let n = e.div(sr, f);
            let x = excitation(e, n, a[2])?;
            let damp = clamp(e, a[1], 0.0, 1.0);
            let k = e.c(0.001);
            let loss = e.mul(damp, k);
            let base = e.c(0.9995);
            let g = e.sub(base, loss);
            string_loop(e, x, n, g)
        },
    },
    Builtin {
        name: "comb",
        params: &[req("input"), req("freq"), req("feedback")],
        summary: "Feedback comb filter tuned to freq (the Karplus-Strong loop without its averaging).",
        formula: "N = sr/clamp(freq, 20, 20000), fb = clamp(feedback, 0, 0.99); y[n] = x + fb·y[n − N], \
read through `delay` of y[n−1] by N − 1 samples (fractional, where Phonon rounds N)",
        lower: |e, a| {
            let f = clamp(e, a[1], MIN_STRING_HZ, 20_000.0);
            let fb = clamp(e, a[2], 0.0, 0.99);
            let sr = e.c(e.sr());
            let n = e.div(sr, f);
            let one = e.c(1.0);
            let d = e.sub(n, one);
            let (cell, y1) = e.state("y", 0.0)?;
            let max = (e.sr() / MIN_STRING_HZ).ceil() as usize;
            let r = dsp::delay_line(e, "", y1, DelayTime::Samples(d), max)?;
            let fr = e.mul(fb, r);
            let y = e.add(a[0], fr);
            e.set_next(cell, y);
            Ok(y)
        },
    },
    Builtin {
        name: "waveguide",
        params: &[req("freq"), req("damping"), req("pickup"), opt("trig", 1.0)],
        summary: "Plucked digital-waveguide string (Smith 1992) heard at a pickup position (0 bridge … 1 far end).",
        formula: "the `pluck` loop s with g = 1 − 0.001·clamp(damping, 0, 1)² − 0.00001 (Phonon's reflection); \
L = N/2, x = clamp(pickup, 0, 1); y = (s[n − x·L] − s[n − (2 − x)·L])/2: the right-going wave at x \
minus the inverted left-going one, each read through `delay` of s",
        lower: |e, a| {
            let f = clamp(e, a[0], MIN_STRING_HZ, 10_000.0);
            let sr = e.c(e.sr());
            let n = e.div(sr, f);
            let x = excitation(e, n, a[3])?;
            let damp = clamp(e, a[1], 0.0, 1.0);
            let d2 = e.mul(damp, damp);
            let k = e.c(0.001);
            let loss = e.mul(d2, k);
            let base = e.c(1.0 - 0.00001);
            let g = e.sub(base, loss);
            let s = string_loop(e, x, n, g)?;
            let pick = clamp(e, a[2], 0.0, 1.0);
            let half = e.c(0.5);
            let l = e.mul(n, half);
            let near = e.mul(pick, l);
            let two = e.c(2.0);
            let rest = e.sub(two, pick);
            let far = e.mul(rest, l);
            let max = (e.sr() / MIN_STRING_HZ).ceil() as usize;
            let right = dsp::delay_line(e, "right_", s, DelayTime::Samples(near), max)?;
            let left = dsp::delay_line(e, "left_", s, DelayTime::Samples(far), max)?;
            let d = e.sub(right, left);
            Ok(e.mul(d, half))
        },
    },
    Builtin {
        name: "superfm",
        params: &[req("freq"), opt("ratio", 2.0), opt("index", 1.0)],
        summary: "Phonon's superfm: a sine whose frequency a sine at freq·ratio modulates by ±index·freq.",
        formula: "m = sin(2π·pm), pm the phase of freq·ratio; y = sin(2π·pc), pc the phase of freq·(1 + index·m)",
        lower: |e, a| {
            let mf = e.mul(a[0], a[1]);
            let pm = phase_at(e, "modulator", 0.0, mf)?;
            let m = e.un(UnOp::SinTau, pm);
            let im = e.mul(a[2], m);
            let one = e.c(1.0);
            let k = e.add(one, im);
            let cf = e.mul(a[0], k);
            let pc = phase_at(e, "carrier", 0.0, cf)?;
            Ok(e.un(UnOp::SinTau, pc))
        },
    },
    Builtin {
        name: "superchip",
        params: &[req("freq"), opt("vibrato_rate", 5.0), opt("vibrato_depth", 0.05)],
        summary: "Phonon's superchip: a naive square with vibrato, a chip-tune voice.",
        formula: "v = sin(2π·pv), pv the phase of vibrato_rate; y = p < 0.5 ? 1 : −1, p the phase of \
freq·(1 + vibrato_depth·v)",
        lower: |e, a| {
            let pv = phase_at(e, "vibrato", 0.0, a[1])?;
            let v = e.un(UnOp::SinTau, pv);
            let dv = e.mul(a[2], v);
            let one = e.c(1.0);
            let k = e.add(one, dv);
            let f = e.mul(a[0], k);
            let p = phase_at(e, "phase", 0.0, f)?;
            let half = e.c(0.5);
            let lt = e.bin(BinOp::Lt, p, half);
            let m1 = e.c(-1.0);
            Ok(e.select(lt, one, m1))
        },
    },
    Builtin {
        name: "superpwm",
        params: &[req("freq"), opt("pwm_rate", 0.5), opt("pwm_depth", 0.8)],
        summary: "Pulse-width modulation: `pulse` with its width swept by a triangle LFO.",
        formula: "t = 1 − 4·|pt − 0.5|, pt the phase of pwm_rate; y = `pulse` freq (0.5 + 0.45·clamp(pwm_depth, 0, 1)·t) \
(Phonon's adds a square to its own inverse scaled by the LFO, an amplitude modulation)",
        lower: |e, a| {
            let pt = phase_at(e, "lfo", 0.0, a[1])?;
            let half = e.c(0.5);
            let d = e.sub(pt, half);
            let ad = e.un(UnOp::Abs, d);
            let four = e.c(4.0);
            let m = e.mul(four, ad);
            let one = e.c(1.0);
            let t = e.sub(one, m);
            let depth = clamp(e, a[2], 0.0, 1.0);
            let k = e.c(0.45);
            let w = e.mul(depth, k);
            let w = e.mul(w, t);
            let w = e.add(half, w);
            let p = super::oscillators::phase(e, a[0])?;
            super::noise::pulse_at(e, p, a[0], w)
        },
    },
    Builtin {
        name: "wavetable",
        params: &[req("freq")],
        summary: "Phonon's wavetable: its default table is one cycle of a sine, computed here exactly.",
        formula: "sin(2π·p), p the oscillators' phase (Phonon interpolates a 2048-point table of it)",
        lower: |e, a| {
            let p = super::oscillators::phase(e, a[0])?;
            Ok(e.un(UnOp::SinTau, p))
        },
    },
    Builtin {
        name: "soft_saw_hz",
        params: &[req("freq")],
        summary: "Phonon's soft_saw_hz (fundsp's): a saw-like wave of harmonics falling as 1/i², band-limited.",
        formula: "θ = 2π·p, p the oscillators' phase; y = (1/M)·Σᵢ₌₁⁶⁴ σᵢ·gᵢ·sin(iθ)/i², σᵢ = 1 if i mod 4 = 1 else −1, \
gᵢ = S(clamp((22000 − i·freq)/2000, 0, 1)), S(x) = x³(10 − 15x + 6x²); sin(iθ) by the recurrence \
sᵢ₊₁ = 2cos θ·sᵢ − sᵢ₋₁; M = max |Σᵢ₌₁¹¹⁰⁰ σᵢ·gᵢ·sin(2πik/8192)/i²| over k at freq 20 (fundsp's normalisation)",
        lower: |e, a| {
            let p = super::oscillators::phase(e, a[0])?;
            let s1 = e.un(UnOp::SinTau, p);
            let tau = e.c(std::f64::consts::TAU);
            let th = e.mul(tau, p);
            let c = e.un(UnOp::Cos, th);
            let two = e.c(2.0);
            let c2 = e.mul(two, c);
            let (mut prev, mut cur) = (e.c(0.0), s1);
            let mut sum = None;
            for i in 1..=SOFT_SAW_HARMONICS {
                let x = {
                    let fi = e.c(i as f64);
                    let f = e.mul(a[0], fi);
                    let top = e.c(SOFT_SAW_TOP);
                    let d = e.sub(top, f);
                    let k = e.c(1.0 / SOFT_SAW_FADE);
                    let x = e.mul(d, k);
                    clamp(e, x, 0.0, 1.0)
                };
                let g = smooth5(e, x);
                let sign = if i % 4 == 1 { 1.0 } else { -1.0 };
                let w = e.c(sign / ((i * i) as f64 * soft_saw_peak()));
                let term = e.mul(g, cur);
                let term = e.mul(term, w);
                sum = Some(match sum {
                    None => term,
                    Some(acc) => e.add(acc, term),
                });
                let next = e.mul(c2, cur);
                let next = e.sub(next, prev);
                (prev, cur) = (cur, next);
            }
            Ok(sum.expect("at least one harmonic"))
        },
    },
    Builtin {
        name: "superkick",
        params: &[req("freq"), opt("pitch_env", 0.5), opt("sustain", 0.3), opt("noise", 0.1)],
        summary: "Phonon's superkick: a sine swept down from freq·(1 + 2·pitch_env) with a low-passed noise click, struck once.",
        formula: "E(a, d, s) = `env`'s level (the gate open from the first sample); \
f = freq·(1 + 2·pitch_env·E(0.001, 0.05, 0)); body = sin(2π·p)·E(0.001, 0.7·sustain, 0.3), p the phase of f; \
click = `lpf` (noise·E(0.001, 0.01, 0)) 800 0.5; y = body + noise·click",
        lower: |e, a| {
            let t = held_time(e)?;
            let (c0, c1, c2, c3) = (e.c(0.001), e.c(0.05), e.c(0.0), e.c(0.3));
            let pe = held_env(e, t, c0, c1, c2);
            let two = e.c(2.0);
            let k = e.mul(a[1], two);
            let k = e.mul(pe, k);
            let fk = e.mul(a[0], k);
            let f = e.add(a[0], fk);
            let p = phase_at(e, "phase", 0.0, f)?;
            let s = e.un(UnOp::SinTau, p);
            let d = e.c(0.7);
            let d = e.mul(a[2], d);
            let amp = held_env(e, t, c0, d, c3);
            let body = e.mul(s, amp);
            let w = white(e)?;
            let c4 = e.c(0.01);
            let ne = held_env(e, t, c0, c4, c2);
            let n = e.mul(w, ne);
            let (fc, q) = (e.c(800.0), e.c(0.5));
            let coefs = dsp::rbj(e, dsp::Response::Low, fc, q);
            let click = dsp::biquad(e, "click_", n, coefs)?;
            let click = e.mul(click, a[3]);
            Ok(e.add(body, click))
        },
    },
    Builtin {
        name: "supersnare",
        params: &[req("freq"), opt("snappy", 0.8), opt("sustain", 0.08)],
        summary: "Phonon's supersnare: two detuned triangles and a high-passed noise burst, struck once.",
        formula: "E(a, d, s) = `env`'s level (the gate open from the first sample); tri(p) = 1 − 4·|p − 0.5|; \
body = (tri(p₁) + tri(p₂))·E(0.001, 0.3·sustain, 0), p₁ the phase of freq from 0, p₂ of 1.05·freq from 0.3; \
snap = (`hpf` noise 3000 0.5)·E(0.001, sustain, 0); y = 0.5·body + snappy·snap",
        lower: |e, a| {
            let t = held_time(e)?;
            let p1 = phase_at(e, "phase", 0.0, a[0])?;
            let k = e.c(1.05);
            let f2 = e.mul(a[0], k);
            let p2 = phase_at(e, "phase2", 0.3, f2)?;
            let t1 = tri_of(e, p1);
            let t2 = tri_of(e, p2);
            let body = e.add(t1, t2);
            let (c0, z) = (e.c(0.001), e.c(0.0));
            let k = e.c(0.3);
            let d = e.mul(a[2], k);
            let be = held_env(e, t, c0, d, z);
            let body = e.mul(body, be);
            let w = white(e)?;
            let (fc, q) = (e.c(3000.0), e.c(0.5));
            let coefs = dsp::rbj(e, dsp::Response::High, fc, q);
            let hp = dsp::biquad(e, "snap_", w, coefs)?;
            let ne = held_env(e, t, c0, a[2], z);
            let snap = e.mul(hp, ne);
            let half = e.c(0.5);
            let body = e.mul(body, half);
            let snap = e.mul(snap, a[1]);
            Ok(e.add(body, snap))
        },
    },
    Builtin {
        name: "superhat",
        params: &[opt("bright", 0.7), opt("sustain", 0.05)],
        summary: "Phonon's superhat: a burst of noise high-passed at 5–10 kHz by brightness, struck once.",
        formula: "E(a, d, s) = `env`'s level (the gate open from the first sample); \
y = (`hpf` noise (5000 + 5000·bright) 1.5)·E(0.001, sustain, 0)",
        lower: |e, a| {
            let t = held_time(e)?;
            let w = white(e)?;
            let k = e.c(5000.0);
            let b = e.mul(a[0], k);
            let fc = e.add(k, b);
            let q = e.c(1.5);
            let coefs = dsp::rbj(e, dsp::Response::High, fc, q);
            let hp = dsp::biquad(e, "hat_", w, coefs)?;
            let (c0, z) = (e.c(0.001), e.c(0.0));
            let env = held_env(e, t, c0, a[1], z);
            Ok(e.mul(hp, env))
        },
    },
];

/// Harmonics `soft_saw_hz` sums: past the 64th, 1/i² is below −72 dB.
const SOFT_SAW_HARMONICS: usize = 64;
/// fundsp's band limit: harmonics fade out from 20 kHz and are gone at 22 kHz.
const SOFT_SAW_TOP: f64 = 22_000.0;
const SOFT_SAW_FADE: f64 = 2_000.0;

/// fundsp's `smooth5`: `x³(10 − 15x + 6x²)`.
fn smooth5(e: &mut Emitter, x: NodeId) -> NodeId {
    let six = e.c(6.0);
    let m15 = e.c(-15.0);
    let ten = e.c(10.0);
    let t = e.mul(six, x);
    let t = e.add(t, m15);
    let t = e.mul(t, x);
    let t = e.add(t, ten);
    let x2 = e.mul(x, x);
    let x3 = e.mul(x2, x);
    e.mul(t, x3)
}

/// The peak fundsp scales its soft-saw tables by: the largest |sample| of the table at its
/// lowest pitch, 20 Hz (1100 harmonics, 8192 points), where the wave is fullest.
fn soft_saw_peak() -> f64 {
    static PEAK: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *PEAK.get_or_init(|| {
        let (pitch, len) = (20.0, 8192usize);
        let harmonics = (SOFT_SAW_TOP / pitch).floor() as usize;
        let weights: Vec<f64> = (1..=harmonics)
            .map(|i| {
                let x = ((SOFT_SAW_TOP - pitch * i as f64) / SOFT_SAW_FADE).clamp(0.0, 1.0);
                let g = x * x * x * (10.0 + x * (-15.0 + 6.0 * x));
                let sign = if i % 4 == 1 { 1.0 } else { -1.0 };
                sign * g / (i * i) as f64
            })
            .collect();
        // sin(iθ) by the recurrence the oscillator uses: two libm calls a point, not 1100.
        (0..len)
            .map(|k| {
                let t = std::f64::consts::TAU * k as f64 / len as f64;
                let c2 = 2.0 * t.cos();
                let (mut prev, mut cur, mut sum) = (0.0, t.sin(), 0.0);
                for w in &weights {
                    sum += w * cur;
                    (prev, cur) = (cur, c2 * cur - prev);
                }
                sum.abs()
            })
            .fold(0.0, f64::max)
    })
}

/// Samples since the drum started, counting 1 on the first: `adsr`'s attack time with
/// its gate held open from the first sample (slot `time`).
fn held_time(e: &mut Emitter) -> Result<NodeId, String> {
    let (cell, t) = e.state("time", 0.0)?;
    let one = e.c(1.0);
    let t = e.add(t, one);
    e.set_next(cell, t);
    Ok(t)
}

/// `adsr 1 at dt sl _` at attack time `t`: the gate never closes, so no release.
/// `min(t/an, max(1 + an·(1 − sl)/dn − t·(1 − sl)/dn, sl))`, floored at 0.
fn held_env(e: &mut Emitter, t: NodeId, at: NodeId, dt: NodeId, sl: NodeId) -> NodeId {
    let sr = e.c(e.sr());
    let one = e.c(1.0);
    let an = e.mul(at, sr);
    let an = e.bin(BinOp::Max, one, an);
    let dn = e.mul(dt, sr);
    let dn = e.bin(BinOp::Max, one, dn);
    let adelta = e.div(one, an);
    let drop = e.sub(one, sl);
    let ddelta = e.div(drop, dn);
    let a = e.mul(t, adelta);
    let x = e.mul(an, ddelta);
    let d0 = e.add(one, x);
    let x = e.mul(t, ddelta);
    let d = e.sub(d0, x);
    let ds = e.bin(BinOp::Max, d, sl);
    let ads = e.bin(BinOp::Min, a, ds);
    let zero = e.c(0.0);
    e.bin(BinOp::Max, ads, zero)
}

/// The triangle of phase `p`: `1 − 4·|p − 0.5|`, as `tri`.
fn tri_of(e: &mut Emitter, p: NodeId) -> NodeId {
    let half = e.c(0.5);
    let d = e.sub(p, half);
    let ad = e.un(UnOp::Abs, d);
    let four = e.c(4.0);
    let m = e.mul(four, ad);
    let one = e.c(1.0);
    e.sub(one, m)
}

/// The noise burst that plucks a string: `N` samples of `noise` from each rising edge of
/// `trig > 0.5`. Slots `trig`, `burst`, `seed`.
fn excitation(e: &mut Emitter, n: NodeId, trig: NodeId) -> Result<NodeId, String> {
    // Rising edge of trig > 0.5: the default trig 1 plucks once, at the first sample.
    let half = e.c(0.5);
    let high = e.bin(BinOp::Gt, trig, half);
    let (was_cell, was) = e.state("trig", 0.0)?;
    e.set_next(was_cell, high);
    let edge = e.bin(BinOp::Gt, high, was);
    let (left_cell, left) = e.state("burst", 0.0)?;
    let l = e.select(edge, n, left);
    let one = e.c(1.0);
    let zero = e.c(0.0);
    let lm = e.sub(l, one);
    // max(lm, 0) as `lm < 0 ? 0 : lm`, one maxsd where max is a branchy sequence: the
    // same value (NaN passes through; lm = l − 1 is never −0).
    let neg = e.bin(BinOp::Lt, lm, zero);
    let lm = e.select(neg, zero, lm);
    e.set_next(left_cell, lm);
    let w = white(e)?;
    let on = e.bin(BinOp::Gt, l, zero);
    Ok(e.select(on, w, zero))
}

/// The Karplus-Strong loop: `y = x + (g·0.5)·(a + a')` with `a` read `n − 1.5` samples behind
/// `y[n−1]`, so the loop (delay plus the average's half sample) is `n` samples long.
/// Slots: `y`, `a1`, and the delay line's.
pub(super) fn string_loop(
    e: &mut Emitter,
    x: NodeId,
    n: NodeId,
    g: NodeId,
) -> Result<NodeId, String> {
    let (y_cell, y1) = e.state("y", 0.0)?;
    let k = e.c(1.5);
    let d = e.sub(n, k);
    let max = (e.sr() / MIN_STRING_HZ).ceil() as usize;
    let a = dsp::delay_line(e, "", y1, DelayTime::Samples(d), max)?;
    let (a_cell, a1) = e.state("a1", 0.0)?;
    e.set_next(a_cell, a);
    let s = e.add(a, a1);
    // (g/2)·(a + a'): one multiply per sample, g/2 folding to a constant.
    let half = e.c(0.5);
    let g2 = e.mul(g, half);
    let fb = e.mul(g2, s);
    let y = e.add(x, fb);
    e.set_next(y_cell, y);
    Ok(y)
}
