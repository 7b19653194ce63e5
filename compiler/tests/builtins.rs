//! Every builtin against a plain-Rust implementation of its documented formula
//! (`kanonc builtins`), over at least one second of output at 48 kHz, through the public
//! pipeline (`compile` + `kanon_runtime::render`), with moving inputs wherever a builtin
//! takes a signal.
//!
//! A builtin added to the table without a test here fails `every_builtin_is_tested`.

mod models;

use kanon_compiler::{builtins, compile, Options};
use kanon_lang::Source;
use std::f64::consts::TAU;

const SR: f64 = 48_000.0;
/// One second.
const FRAMES: usize = 48_000;
/// Absolute tolerance on the f32 output where the maths is not exact.
const TOL: f64 = 1e-6;
/// For builtins whose result is exact (comparisons, clamps, integer noise): bit-equal.
const EXACT: f64 = 0.0;

/// Compiles `src`, renders `frames` frames, and compares every channel of every frame
/// with `model`, which is called once per frame and returns one value per channel.
fn check(src: &str, frames: usize, tol: f64, mut model: impl FnMut() -> Vec<f64>) {
    let source = Source::new("t.kn", src);
    let program = compile(&source, Options::default()).unwrap_or_else(|d| {
        panic!(
            "{src}\n{}",
            d.iter().map(|d| d.render(&source)).collect::<String>()
        )
    });
    let ch = program.channels();
    let out = kanon_runtime::render(&program, frames, 512);
    for n in 0..frames {
        let want = model();
        assert_eq!(want.len(), ch, "the model has one value per channel");
        for (c, &w) in want.iter().enumerate() {
            let (got, w) = (out[n * ch + c], w as f32);
            let same = got.to_bits() == w.to_bits()
                || (got.is_nan() && w.is_nan())
                || f64::from((got - w).abs()) <= tol;
            assert!(
                same,
                "{src}\nframe {n}, channel {c}: rendered {got:e}, formula gives {w:e}"
            );
        }
    }
    // A model that agrees with a silent or stuck output proves nothing.
    for c in 0..ch {
        let first = out[c];
        assert!(
            (0..frames).any(|n| out[n * ch + c].to_bits() != first.to_bits()),
            "{src}\nchannel {c} never changes: the test inputs are too trivial"
        );
    }
}

/// An oscillator's phase: starts at 0, read before it advances by `freq/sr`, kept in [0, 1).
#[derive(Default)]
struct Phase(f64);

impl Phase {
    fn next(&mut self, freq: f64) -> f64 {
        let p = self.0;
        let s = p + freq / SR;
        self.0 = s - s.floor();
        p
    }
}

/// `sine f`.
#[derive(Default)]
struct Sine(Phase);

impl Sine {
    /// `sin(2π·p)` as the generated code computes it (an inline polynomial within
    /// 1e-11 of libm's `sin`; `ir::math` is its exact scalar form), so builtins fed
    /// by a sine can be checked bit for bit.
    fn next(&mut self, freq: f64) -> f64 {
        kanon_compiler::ir::math::sin_turns(self.0.next(freq))
    }
}

/// Shared inputs for the maths builtins: `~x` ramps from −10 to 10 over one second
/// (negative, fractional, crossing zero), `~y` is a 2.5 Hz sine of amplitude 3.
const XY: &str = "~x: phasor 1 * 20 - 10\n~y: 3 * sine 2.5\n";

#[derive(Default)]
struct Xy {
    px: Phase,
    sy: Sine,
}

impl Xy {
    fn next(&mut self) -> (f64, f64) {
        (self.px.next(1.0) * 20.0 - 10.0, 3.0 * self.sy.next(2.5))
    }
}

/// A band-rich input for filters and delays: a saw plus a high sine.
const INPUT: &str = "~in: saw 110 + 0.3 * sine 1700\n";

#[derive(Default)]
struct Input {
    saw: Phase,
    sine: Sine,
}

impl Input {
    fn next(&mut self) -> f64 {
        (2.0 * self.saw.next(110.0) - 1.0) + 0.3 * self.sine.next(1700.0)
    }
}

/// A unary maths builtin on a ramp, on a product of two moving signals, and piped.
fn unary(name: &str, tol: f64, f: fn(f64) -> f64) {
    let src = format!("{XY}out: [{name} ~x, {name}(~x * ~y), ~y # {name}]");
    let mut xy = Xy::default();
    check(&src, FRAMES, tol, || {
        let (x, y) = xy.next();
        vec![f(x), f(x * y), f(y)]
    });
}

/// Which RBJ biquad.
#[derive(Clone, Copy)]
enum Kind {
    Low,
    High,
    Band,
    Notch,
}

/// A direct-form-I RBJ biquad with coefficients from the current cutoff and q.
#[derive(Default)]
struct Biquad {
    x1: f64,
    x2: f64,
    y1: f64,
    y2: f64,
}

impl Biquad {
    fn next(&mut self, kind: Kind, x: f64, fc: f64, q: f64) -> f64 {
        let w = fc * (TAU / SR);
        let (cw, sw) = (w.cos(), w.sin()); // libm: the formula, not the implementation
        let alpha = sw * (0.5 / q);
        let r = 1.0 / (1.0 + alpha);
        let (b0, b1, b2) = match kind {
            Kind::Low => ((1.0 - cw) * r * 0.5, (1.0 - cw) * r, (1.0 - cw) * r * 0.5),
            Kind::High => (
                (1.0 + cw) * r * 0.5,
                -((1.0 + cw) * r),
                (1.0 + cw) * r * 0.5,
            ),
            Kind::Band => (alpha * r, 0.0, -(alpha * r)),
            Kind::Notch => (r, -2.0 * cw * r, r),
        };
        let a1 = -2.0 * cw * r;
        let a2 = (1.0 - alpha) * r;
        let y = b0 * x + b1 * self.x1 + b2 * self.x2 - a1 * self.y1 - a2 * self.y2;
        (self.x2, self.x1, self.y2, self.y1) = (self.x1, x, self.y1, y);
        y
    }
}

/// A biquad with an LFO-swept cutoff and a moving q, with a fast triangle-swept cutoff
/// at high resonance, and with constant coefficients (folded at compile time).
fn biquad(name: &str, kind: Kind) {
    let src = format!(
        "{INPUT}~fc: 1200 + 900 * sine 0.5\n~q: 0.6 + 0.5 * (1 + sine 0.31)\n\
         out: [~in # {name} ~fc ~q, {name} ~in (400 + 300 * tri 3) 4, {name}(~in, 800, 0.9)]"
    );
    let (mut input, mut lfo, mut qlfo, mut tri) = (
        Input::default(),
        Sine::default(),
        Sine::default(),
        Phase::default(),
    );
    let mut f: [Biquad; 3] = Default::default();
    check(&src, FRAMES, TOL, || {
        let x = input.next();
        let fc = 1200.0 + 900.0 * lfo.next(0.5);
        let q = 0.6 + 0.5 * (1.0 + qlfo.next(0.31));
        let t = 1.0 - 4.0 * (tri.next(3.0) - 0.5).abs();
        vec![
            f[0].next(kind, x, fc, q),
            f[1].next(kind, x, 400.0 + 300.0 * t, 4.0),
            f[2].next(kind, x, 800.0, 0.9),
        ]
    });
}

/// Delay buffer length by the documented rule: a power of two ≥ secs·sr + 2.
fn delay_len(max_secs: f64) -> usize {
    ((max_secs * SR).ceil() as usize + 2)
        .max(4)
        .next_power_of_two()
}

/// Gates for the envelopes: `~slow` 1 for 0.2 s of every 0.4 s, `~fast` 1 for 5 ms of
/// every 10 ms (released long before an attack ends), `~soft` 1 for 50 ms of every 100 ms.
const GATES: &str =
    "~slow: (square 2.5 + 1) * 0.5\n~fast: (square 100 + 1) * 0.5\n~soft: (square 10 + 1) * 0.5\n";

#[derive(Default)]
struct Gates(Phase, Phase, Phase);

impl Gates {
    fn next(&mut self) -> (f64, f64, f64) {
        let g = |p: f64| (if p < 0.5 { 1.0 } else { -1.0 } + 1.0) * 0.5;
        (
            g(self.0.next(2.5)),
            g(self.1.next(100.0)),
            g(self.2.next(10.0)),
        )
    }
}

/// Declares one `#[test]` per builtin and the list of builtins tested, so the list
/// cannot claim a test that does not exist.
macro_rules! builtin_tests {
    ($($name:ident $body:block)*) => {
        $(
            #[test]
            fn $name() $body
        )*
        pub(crate) const TESTED: &[&str] = &[$(stringify!($name)),*];
    };
}

builtin_tests! {
    r#if {
        let src = format!("{XY}out: [if ~y ~x 7, ~x # if 1 2, if (~x > 0) (~x * ~y) (-1)]");
        let mut xy = Xy::default();
        check(&src, FRAMES, EXACT, || {
            let (x, y) = xy.next();
            let pick = |c: f64, a: f64, b: f64| if c > 0.5 { a } else { b };
            vec![pick(y, x, 7.0), pick(x, 1.0, 2.0), pick(f64::from(u8::from(x > 0.0)), x * y, -1.0)]
        });
    }

    adsr {
        // A slow gate (attack, decay, sustain, release all reached), a fast one (released
        // mid-attack: the release scales the level held), and a gate of 0.8 (Faust counts
        // the attack by the gate's value).
        let src = format!("{GATES}out: [~slow # adsr 0.05 0.1 0.5 0.08, adsr ~fast 0.05 0.01 0.3 0.004, ~soft * 0.8 # adsr 0.001 0.02 :release 0.03 :sustain 0.2]");
        let mut g = Gates::default();
        let mut f: [models::Faust; 3] = Default::default();
        check(&src, FRAMES, TOL, || {
            let (slow, fast, soft) = g.next();
            vec![
                f[0].adsr(SR, 0.05, 0.1, 0.5, 0.08, slow),
                f[1].adsr(SR, 0.05, 0.01, 0.3, 0.004, fast),
                f[2].adsr(SR, 0.001, 0.02, 0.2, 0.03, soft * 0.8),
            ]
        });
    }

    ar {
        let src = format!("{GATES}out: [~slow # ar 0.05 0.1, ar ~fast 0.003 0.02, ~soft # ar 0 0]");
        let mut g = Gates::default();
        let mut f: [models::Faust; 3] = Default::default();
        check(&src, FRAMES, TOL, || {
            let (slow, fast, soft) = g.next();
            vec![
                f[0].ar(SR, 0.05, 0.1, slow),
                f[1].ar(SR, 0.003, 0.02, fast),
                f[2].ar(SR, 0.0, 0.0, soft),
            ]
        });
    }

    ad {
        let src = format!("{GATES}out: [~slow # ad 0.02 0.3, ~fast # ad 0.001 0.005]");
        let mut g = Gates::default();
        let mut f: [models::Faust; 2] = Default::default();
        check(&src, FRAMES, TOL, || {
            let (slow, fast, _) = g.next();
            vec![f[0].ar(SR, 0.02, 0.3, slow), f[1].ar(SR, 0.001, 0.005, fast)]
        });
    }

    asr {
        let src = format!("{GATES}out: [asr ~slow 0.05 0.1, ~fast # asr 0.05 0.004 0.6]");
        let mut g = Gates::default();
        let mut f: [models::Faust; 2] = Default::default();
        check(&src, FRAMES, TOL, || {
            let (slow, fast, _) = g.next();
            vec![
                f[0].asr(SR, 0.05, 1.0, 0.1, slow),
                f[1].asr(SR, 0.05, 0.6, 0.004, fast),
            ]
        });
    }

    env {
        // Attack and decay once, then the sustain level for good; a moving input.
        let src = format!("{INPUT}out: [~in # env 0.05 0.1 0.4 0.2, env (sine 3) 0.001 0.2 0 0.1]");
        let (mut input, mut s3) = (Input::default(), Sine::default());
        let mut f: [models::Faust; 2] = Default::default();
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            vec![
                x * f[0].adsr(SR, 0.05, 0.1, 0.4, 0.2, 1.0),
                s3.next(3.0) * f[1].adsr(SR, 0.001, 0.2, 0.0, 0.1, 1.0),
            ]
        });
    }

    xline {
        // Exponential, from zero (linear), across zero (linear), and held at the end.
        let src = "out: [xline 880 110 0.5, xline 0 1 0.25, xline 1 (-1) 0.3, xline 2 (4 + sine 3) 0]";
        let (mut k, mut s3) = (0.0f64, Sine::default());
        let xl = |start: f64, end: f64, secs: f64, k: f64| {
            let p = (k / (secs.max(0.0) * SR).max(1.0)).min(1.0);
            if p >= 1.0 || secs < 1e-5 {
                end
            } else if start.abs() < 1e-5 || (start > 0.0) != (end > 0.0) {
                start + (end - start) * p
            } else {
                start * (end / start).powf(p)
            }
        };
        check(src, FRAMES, TOL, || {
            let v = vec![
                xl(880.0, 110.0, 0.5, k),
                xl(0.0, 1.0, 0.25, k),
                xl(1.0, -1.0, 0.3, k),
                xl(2.0, 4.0 + s3.next(3.0), 0.0, k),
            ];
            k += 1.0;
            v
        });
    }

    curve {
        let src = "out: [curve 1 0 0.5 (-3), curve 110 440 0.3 0, curve 0.5 8 0.2 4]";
        let mut k = 0.0f64;
        let cv = |start: f64, end: f64, secs: f64, c: f64, k: f64| {
            let t = (k / SR / secs.max(0.001)).min(1.0);
            let s = if c.abs() < 0.001 {
                t
            } else {
                ((c * t).exp() - 1.0) / (c.exp() - 1.0)
            };
            start + (end - start) * s
        };
        check(src, FRAMES, TOL, || {
            k += 1.0;
            vec![
                cv(1.0, 0.0, 0.5, -3.0, k),
                cv(110.0, 440.0, 0.3, 0.0, k),
                cv(0.5, 8.0, 0.2, 4.0, k),
            ]
        });
    }

    plate {
        // Mono in at the defaults, stereo in with a predelay, more damping, a moving
        // decay and no modulation, wet only.
        let src = format!(
            "{INPUT}out: [~in # plate 0 0.5, [~in, sine 300] # plate 0.01 (0.7 + 0.2 * sine 0.5) 0.8 0.3 0 1]"
        );
        let (mut input, mut s300, mut lfo) = (Input::default(), Sine::default(), Sine::default());
        let (mut a, mut b) = (models::Plate::new(SR), models::Plate::new(SR));
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let y = s300.next(300.0);
            let decay = 0.7 + 0.2 * lfo.next(0.5);
            let [l1, r1] = a.process(x, x, 0.0, 0.5, 1.0, 0.0005, 1.0, 0.3);
            let [l2, r2] = b.process(x, y, 0.01, decay, 0.8, 0.3, 0.0, 1.0);
            vec![l1, r1, l2, r2]
        });
    }

    reverb {
        // Mono in with Phonon's default mix, stereo in with a room swept past both ends
        // of its range, wet only.
        let src = format!(
            "{INPUT}out: [~in # reverb 0.8 0.3, [~in, sine 300] # reverb (0.5 + 0.7 * sine 0.7) 0.6 :mix 1]"
        );
        let (mut input, mut s300, mut lfo) = (Input::default(), Sine::default(), Sine::default());
        let (mut a, mut b) = (models::Freeverb::new(SR), models::Freeverb::new(SR));
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let y = s300.next(300.0);
            let room = 0.5 + 0.7 * lfo.next(0.7); // past 1 and below 0: clamped
            let [l1, r1] = a.process(x, x, 0.8, 0.3, 0.3);
            let [l2, r2] = b.process(x, y, room, 0.6, 1.0);
            vec![l1, r1, l2, r2]
        });
    }

    sine {
        // A frequency swept through negative values (the phase runs backwards), and a
        // constant one.
        let (mut lfo, mut a, mut b) = (Sine::default(), Sine::default(), Sine::default());
        check("out: [sine (100 + 400 * sine 1.3), sine 440]", FRAMES, TOL, || {
            let f = 100.0 + 400.0 * lfo.next(1.3);
            vec![a.next(f), b.next(440.0)]
        });
    }

    saw {
        let (mut lfo, mut a, mut b) = (Sine::default(), Phase::default(), Phase::default());
        check("out: [saw (100 + 400 * sine 1.3), saw 440]", FRAMES, TOL, || {
            let f = 100.0 + 400.0 * lfo.next(1.3);
            vec![2.0 * a.next(f) - 1.0, 2.0 * b.next(440.0) - 1.0]
        });
    }

    square {
        let (mut lfo, mut a, mut b) = (Sine::default(), Phase::default(), Phase::default());
        let sq = |p: f64| if p < 0.5 { 1.0 } else { -1.0 };
        check("out: [square (100 + 400 * sine 1.3), square 440]", FRAMES, EXACT, || {
            let f = 100.0 + 400.0 * lfo.next(1.3);
            vec![sq(a.next(f)), sq(b.next(440.0))]
        });
    }

    tri {
        let (mut lfo, mut a, mut b) = (Sine::default(), Phase::default(), Phase::default());
        let tri = |p: f64| 1.0 - 4.0 * (p - 0.5).abs();
        check("out: [tri (100 + 400 * sine 1.3), tri 440]", FRAMES, TOL, || {
            let f = 100.0 + 400.0 * lfo.next(1.3);
            vec![tri(a.next(f)), tri(b.next(440.0))]
        });
    }

    phasor {
        let (mut lfo, mut a, mut b) = (Sine::default(), Phase::default(), Phase::default());
        check("out: [phasor (100 + 400 * sine 1.3), phasor 440]", FRAMES, TOL, || {
            let f = 100.0 + 400.0 * lfo.next(1.3);
            vec![a.next(f), b.next(440.0)]
        });
    }

    noise {
        /// FNV-1a, 64-bit, of the call site's key.
        fn seed(key: &str) -> u64 {
            key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            }) & 0xffff_ffff
        }
        let keys = ["out/noise#0", "out/noise#1", "~n/noise#0"];
        let mut s: Vec<u64> = keys.iter().map(|k| seed(k)).collect();
        let mut sum = [0.0f64; 3];
        check("~n: noise\nout: [noise, noise, ~n]", FRAMES, EXACT, || {
            let mut out = Vec::new();
            for (i, s) in s.iter_mut().enumerate() {
                let y = *s as f64 / 2_147_483_648.0 - 1.0;
                assert!((-1.0..1.0).contains(&y));
                sum[i] += y;
                out.push(y);
                *s = (s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223)) & 0xffff_ffff;
            }
            out
        });
        for m in sum {
            assert!((m / FRAMES as f64).abs() < 0.02, "noise is not centred: mean {m}");
        }
    }

    lpf {
        biquad("lpf", Kind::Low);
    }

    hpf {
        biquad("hpf", Kind::High);
    }

    bpf {
        biquad("bpf", Kind::Band);
    }

    notch {
        biquad("notch", Kind::Notch);
    }

    onepole {
        let (mut input, mut lfo) = (Input::default(), Sine::default());
        let mut y = [0.0f64; 2];
        let src = format!("{INPUT}out: [onepole ~in (0.5 + 0.45 * sine 0.9), ~in # onepole 0.01]");
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let c = 0.5 + 0.45 * lfo.next(0.9);
            y[0] += c * (x - y[0]);
            y[1] += 0.01 * (x - y[1]);
            y.to_vec()
        });
    }

    lag {
        let (mut input, mut lfo) = (Input::default(), Sine::default());
        let mut y = [0.0f64; 2];
        let src = format!("{INPUT}out: [lag ~in (0.002 + 0.0015 * sine 2), ~in # lag 0.01]");
        let coef = |secs: f64| 1.0 - (-1.0 / (secs * SR)).exp();
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let secs = 0.002 + 0.0015 * lfo.next(2.0);
            y[0] += coef(secs) * (x - y[0]);
            y[1] += coef(0.01) * (x - y[1]);
            y.to_vec()
        });
    }

    mem {
        // `mem x`, `x'`, `x''`, a constant init, and a mem of a mem with inits.
        let mut input = Input::default();
        let (mut x1, mut x2) = (0.0, 0.0); // x[n−1], x[n−2], starting at 0
        let (mut m_init, mut inner, mut outer) = (0.25, 0.5, -2.0);
        let src = format!(
            "{INPUT}out: [mem ~in, ~in', ~in'', mem ~in 0.25, mem (mem ~in 0.5) (-2)]"
        );
        check(&src, FRAMES, EXACT, || {
            let x = input.next();
            let out = vec![x1, x1, x2, m_init, outer];
            (x2, x1) = (x1, x);
            (m_init, outer, inner) = (x, inner, x);
            out
        });
    }

    delay {
        // Two seconds, so the clamped 1.2–1.5 s delay (max 1) is heard and its buffer wraps.
        let src = format!(
            "{INPUT}out: [delay ~in (0.01 + 0.005 * sine 0.5), \
             ~in # delay (0.06 + 0.04 * sine 3) 0.05, \
             delay ~in (0.3 * sine 0.5), \
             delay ~in 0.0123, \
             delay ~in 0, \
             delay ~in (1.2 + 0.3 * sine 1)]"
        );
        let lens = [delay_len(1.0), delay_len(0.05), delay_len(1.0), delay_len(1.0), delay_len(1.0), delay_len(1.0)];
        assert_eq!((lens[0], lens[1]), (65_536, 4096));
        let source = Source::new("t.kn", src.as_str());
        let p = compile(&source, Options::default()).expect("compiles");
        let got: Vec<usize> = p.layout.buffers.iter().map(|b| b.len).collect();
        assert_eq!(got, lens, "buffer lengths");

        let mut input = Input::default();
        let mut l: [Sine; 4] = Default::default();
        let mut hist: Vec<f64> = Vec::new();
        // The read position of each tap: it glides toward the target time.
        let mut time: [Option<f64>; 6] = [None; 6]; // None: NaN, not set yet
        check(&src, 2 * FRAMES, TOL, || {
            let x = input.next();
            hist.push(x);
            let n = hist.len() - 1;
            let at = |k: i64| if k < 0 { 0.0 } else { hist[k as usize] };
            let glide = kanon_compiler::builtins::MAX_GLIDE;
            let mut tap = |j: usize, secs: f64, len: usize| {
                let target = (secs * SR).clamp(0.0, (len - 2) as f64);
                let d = match time[j] {
                    Some(prev) if target - prev > glide => prev + glide,
                    Some(prev) if target - prev < -glide => prev - glide,
                    _ => target,
                };
                time[j] = Some(d);
                let i = d.floor();
                let f = d - i;
                let k = n as i64 - i as i64;
                let (a, b) = (at(k), at(k - 1));
                a + f * (b - a)
            };
            let secs = [
                0.01 + 0.005 * l[0].next(0.5),
                0.06 + 0.04 * l[1].next(3.0),
                0.3 * l[2].next(0.5),
                0.0123,
                0.0,
                1.2 + 0.3 * l[3].next(1.0),
            ];
            secs.iter()
                .zip(lens)
                .enumerate()
                .map(|(j, (&s, len))| tap(j, s, len))
                .collect()
        });
    }

    sin {
        unary("sin", TOL, f64::sin);
    }

    cos {
        unary("cos", TOL, f64::cos);
    }

    tan {
        unary("tan", TOL, f64::tan);
    }

    exp {
        unary("exp", TOL, f64::exp);
    }

    log {
        // Negative inputs give NaN, zero gives −∞.
        unary("log", TOL, f64::ln);
    }

    sqrt {
        unary("sqrt", TOL, f64::sqrt);
    }

    abs {
        unary("abs", EXACT, f64::abs);
    }

    floor {
        unary("floor", EXACT, f64::floor);
    }

    tanh {
        unary("tanh", TOL, f64::tanh);
    }

    pow {
        // Negative bases with fractional exponents give NaN; `^` is the same operation.
        let src = format!("{XY}out: [pow ~x 2, pow (abs ~x) ~y, pow ~x ~y, ~x ^ ~y, ~y # pow 3]");
        let mut xy = Xy::default();
        check(&src, FRAMES, TOL, || {
            let (x, y) = xy.next();
            vec![x.powf(2.0), x.abs().powf(y), x.powf(y), x.powf(y), y.powf(3.0)]
        });
    }

    min {
        // NaN in either input gives NaN (as Cranelift's `fmin` does).
        let src = format!("{XY}out: [min ~x ~y, ~y # min ~x, min ~x 2.5, min (log ~x) ~y]");
        let nan_min = |a: f64, b: f64| if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) };
        let mut xy = Xy::default();
        check(&src, FRAMES, EXACT, || {
            let (x, y) = xy.next();
            vec![nan_min(x, y), nan_min(y, x), nan_min(x, 2.5), nan_min(x.ln(), y)]
        });
    }

    max {
        let src = format!("{XY}out: [max ~x ~y, ~y # max ~x, max ~x 2.5, max (log ~x) ~y]");
        let nan_max = |a: f64, b: f64| if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) };
        let mut xy = Xy::default();
        check(&src, FRAMES, EXACT, || {
            let (x, y) = xy.next();
            vec![nan_max(x, y), nan_max(y, x), nan_max(x, 2.5), nan_max(x.ln(), y)]
        });
    }

    clip {
        let src = format!(
            "{XY}out: [clip ~x, clip ~x (-0.3) 0.7, clip ~x ~y (~y + 2), ~y # clip (-1.5)]"
        );
        let clip = |x: f64, lo: f64, hi: f64| x.max(lo).min(hi);
        let mut xy = Xy::default();
        check(&src, FRAMES, EXACT, || {
            let (x, y) = xy.next();
            vec![clip(x, -1.0, 1.0), clip(x, -0.3, 0.7), clip(x, y, y + 2.0), clip(y, -1.5, 1.0)]
        });
    }

    wrap {
        let src = format!(
            "{XY}out: [wrap ~x, wrap ~x (-1.5) 2.25, wrap ~x ~y (~y + 1.7), ~x # wrap (-3) (-0.5)]"
        );
        let wrap = |x: f64, lo: f64, hi: f64| {
            lo + (x - lo) - (hi - lo) * ((x - lo) / (hi - lo)).floor()
        };
        let mut xy = Xy::default();
        check(&src, FRAMES, TOL, || {
            let (x, y) = xy.next();
            vec![
                wrap(x, 0.0, 1.0),
                wrap(x, -1.5, 2.25),
                wrap(x, y, y + 1.7),
                wrap(x, -3.0, -0.5),
            ]
        });
    }

    select {
        // `floor ~x` is exactly 0 for a while: that selects `b`.
        let src = format!(
            "{XY}out: [select (floor ~x) ~x ~y, select (~x > ~y) 1 (-1), ~y # select (sine 3) 0.5]"
        );
        let mut xy = Xy::default();
        let mut s = Sine::default();
        let sel = |c: f64, a: f64, b: f64| if c != 0.0 { a } else { b };
        check(&src, FRAMES, EXACT, || {
            let (x, y) = xy.next();
            let b = if x > y { 1.0 } else { 0.0 };
            vec![sel(x.floor(), x, y), sel(b, 1.0, -1.0), sel(y, s.next(3.0), 0.5)]
        });
        // Phonon's form, three inputs or more: the input at round(index) mod N (half away
        // from zero, Euclidean), by a moving index and by a pattern (a stepped index
        // whose comparisons the select tests itself).
        let src = format!(
            "{XY}~s: \"0 1 2 -1\"\nout: [select ~x ~x ~y 7, select (~y * 2) 1 2 3 4, select ~s (sine 220) ~y (-3)]"
        );
        let mut xy = Xy::default();
        let mut s = Sine::default();
        let mut frame = 0usize;
        let pick = |i: f64, v: &[f64]| {
            let r = if i < 0.0 { -(-i + 0.5).floor() } else { (i + 0.5).floor() };
            v[(r as i64).rem_euclid(v.len() as i64) as usize]
        };
        check(&src, FRAMES, EXACT, || {
            let (x, y) = xy.next();
            // The default tempo, one cycle a second: the pattern steps every quarter second.
            let step = [0.0, 1.0, 2.0, -1.0][(frame * 4 / FRAMES) % 4];
            frame += 1;
            vec![
                pick(x, &[x, y, 7.0]),
                pick(y * 2.0, &[1.0, 2.0, 3.0, 4.0]),
                pick(step, &[s.next(220.0), y, -3.0]),
            ]
        });
    }

    saw_hz {
        // A fixed pitch, a moving one, and a swept one through 0 Hz (no step to smooth).
        let src = format!("{XY}out: [saw_hz 55, saw_hz (3000 + 2000 * sine 2), saw_hz (~y * 300)]");
        let saw = |q: f64, f: f64| {
            let dt = (f.abs() / SR).clamp(1e-12, 0.5);
            let b = if q < dt {
                let t = q / dt;
                2.0 * t - t * t - 1.0
            } else if q > 1.0 - dt {
                let t = (q - 1.0) / dt;
                t * t + 2.0 * t + 1.0
            } else {
                0.0
            };
            2.0 * q - 1.0 - b
        };
        let frac = |x: f64| x - x.floor();
        let (mut p, mut xy, mut s2) = ([Phase::default(), Phase::default(), Phase::default()], Xy::default(), Sine::default());
        check(&src, FRAMES, TOL, || {
            let (_, y) = xy.next();
            let f2 = 3000.0 + 2000.0 * s2.next(2.0);
            let f3 = y * 300.0;
            vec![
                saw(frac(p[0].next(55.0) + 0.5), 55.0),
                saw(frac(p[1].next(f2) + 0.5), f2),
                saw(frac(p[2].next(f3) + 0.5), f3),
            ]
        });
    }

    timer {
        // Rising edges of a square, of a sine (through 0.5, not 0), and none at all.
        let src = format!("{GATES}out: [~slow # timer, timer (sine 3), timer 0]");
        let mut g = Gates::default();
        let mut s3 = Sine::default();
        let (mut t, mut last) = ([0.0f64; 3], [0.0f64; 3]);
        check(&src, FRAMES, TOL, || {
            let (slow, _, _) = g.next();
            let x = [slow, s3.next(3.0), 0.0];
            (0..3)
                .map(|i| {
                    t[i] = if last[i] < 0.5 && x[i] >= 0.5 { 0.0 } else { t[i] + 1.0 / SR };
                    last[i] = x[i];
                    t[i]
                })
                .collect()
        });
    }

    segments {
        // Phonon's example shape, a zero-length jump, and times that are not whole samples.
        let src = "out: [segments \"0 1 0.7 0\" \"0.1 0.2 0.3\", segments \"200 2000 500\" \"0 0.25\", segments \"1 -1 0.5\" \"0.00001 0.5\"]";
        let model = |levels: &[f64], times: &[f64], n: f64| {
            let mut b = 0.0;
            for (i, d) in times.iter().enumerate() {
                let k = (d * SR).ceil().max(1.0);
                if n <= b + k {
                    return levels[i] + (levels[i + 1] - levels[i]) * ((n - b) / (d * SR)).min(1.0);
                }
                b += k;
            }
            levels[levels.len() - 1]
        };
        let mut n = 0.0;
        check(src, FRAMES, TOL, || {
            n += 1.0;
            vec![
                model(&[0.0, 1.0, 0.7, 0.0], &[0.1, 0.2, 0.3], n),
                model(&[200.0, 2000.0, 500.0], &[0.0, 0.25], n),
                model(&[1.0, -1.0, 0.5], &[0.00001, 0.5], n),
            ]
        });
    }

    fbdelay {
        // A fixed echo, a moving time and mix (integer jumps, as Phonon's), feedback past
        // its clamp; and Phonon's spelling, `delay` with four arguments.
        let src = format!(
            "{INPUT}out: [fbdelay ~in 0.01 0.7 0.4, ~in # fbdelay (0.004 + 0.003 * sine 2) 1.5 (0.5 + 0.5 * sine 3), ~in # delay 0.25 0.6 0.4]"
        );
        struct Echo {
            w: Vec<f64>,
        }
        impl Echo {
            fn next(&mut self, x: f64, time: f64, fb: f64, mix: f64) -> f64 {
                let len = SR as usize;
                let d = ((time.clamp(0.0, 2.0) * SR).floor() as usize).clamp(1, len - 1);
                let n = self.w.len();
                let delayed = if n >= d { self.w[n - d] } else { 0.0 };
                let (fb, m) = (fb.clamp(0.0, 0.99), mix.clamp(0.0, 1.0));
                self.w.push((x + fb * delayed).tanh());
                x * (1.0 - m) + delayed * m
            }
        }
        let mut e: Vec<Echo> = (0..3).map(|_| Echo { w: Vec::new() }).collect();
        let (mut input, mut s2, mut s3) = (Input::default(), Sine::default(), Sine::default());
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let (a, b) = (s2.next(2.0), s3.next(3.0));
            vec![
                e[0].next(x, 0.01, 0.7, 0.4),
                e[1].next(x, 0.004 + 0.003 * a, 1.5, 0.5 + 0.5 * b),
                e[2].next(x, 0.25, 0.6, 0.4),
            ]
        });
    }

    mtof {
        let src = format!("{XY}out: [mtof (60 + 12 * sine 0.5), mtof ~x, mtof 69 * ~y]");
        let mtof = |n: f64| 440.0 * 2f64.powf((n - 69.0) / 12.0);
        let mut xy = Xy::default();
        let mut s = Sine::default();
        check(&src, FRAMES, TOL, || {
            let (x, y) = xy.next();
            vec![mtof(60.0 + 12.0 * s.next(0.5)), mtof(x), mtof(69.0) * y]
        });
    }

    dbamp {
        let src = format!("{XY}out: [dbamp (~x * 6), ~y # dbamp, dbamp (-6) * ~y]");
        let dbamp = |db: f64| 10f64.powf(db / 20.0);
        let mut xy = Xy::default();
        check(&src, FRAMES, TOL, || {
            let (x, y) = xy.next();
            vec![dbamp(x * 6.0), dbamp(y), dbamp(-6.0) * y]
        });
    }

    param {
        // Default until set; set at block 10, it glides by the one-pole from there; a
        // second call with smoothing 0 jumps; another name is independent.
        let src = "out: [param \"cutoff\" 1000, param \"cutoff\" 1000 0, param \"q\" 0.5 0.005]";
        let block = 64;
        let (out, ch) = run_params(src, 750, block, |b| match b {
            10 => vec![("cutoff", 500.0)],
            400 => vec![("q", 2.0)],
            _ => vec![],
        });
        let p20 = (-1.0 / (0.02 * SR)).exp();
        let p5 = (-1.0 / (0.005 * SR)).exp();
        let (mut y, mut q) = (1000.0f64, 0.5f64);
        for n in 0..out.len() / ch {
            let x = if n >= 10 * block { 500.0 } else { 1000.0 };
            let xq = if n >= 400 * block { 2.0 } else { 0.5 };
            y = x + p20 * (y - x);
            q = xq + p5 * (q - xq);
            let frame = &out[n * ch..n * ch + ch];
            assert_eq!(frame[0], y as f32, "frame {n}: smoothed cutoff");
            assert_eq!(frame[1], x as f32, "frame {n}: unsmoothed cutoff");
            assert_eq!(frame[2], q as f32, "frame {n}: q");
        }
        // About 20 ms after the change, the glide is 1/e of the way from the end.
        let at = 10 * block + 960;
        let left = (f64::from(out[at * ch]) - 500.0) / 500.0;
        assert!((left - (-1.0f64).exp()).abs() < 1e-3, "{left}");
    }

    midinote {
        let (out, _) = run_params("out: midinote", 20, 32, |b| {
            if b == 5 { vec![("midinote", 64.0)] } else { vec![] }
        });
        assert!(out[..160].iter().all(|&x| x == 60.0), "60 until a key is played");
        assert!(out[160..].iter().all(|&x| x == 64.0), "then the note, at once");
    }

    midigate {
        let (out, _) = run_params("out: midigate", 20, 32, |b| match b {
            5 => vec![("midigate", 1.0)],
            9 => vec![("midigate", 0.0)],
            _ => vec![],
        });
        assert!(out[..160].iter().all(|&x| x == 0.0));
        assert!(out[160..288].iter().all(|&x| x == 1.0));
        assert!(out[288..].iter().all(|&x| x == 0.0));
    }

    midivel {
        let (out, _) = run_params("out: midivel", 20, 32, |b| {
            if b == 3 { vec![("midivel", 0.5)] } else { vec![] }
        });
        assert!(out[..96].iter().all(|&x| x == 0.0));
        assert!(out[96..].iter().all(|&x| x == 0.5));
    }

}

/// A program with live parameters, run by the engine in blocks of `block` frames; `set`
/// gives, per block index, the values sent (by name) before that block.
fn run_params(
    src: &str,
    blocks: usize,
    block: usize,
    mut set: impl FnMut(usize) -> Vec<(&'static str, f64)>,
) -> (Vec<f32>, usize) {
    let program = compile(&Source::new("t.kn", src), Options::default()).expect("compiles");
    let ch = program.channels();
    let slot = |name: &str| {
        program
            .ir
            .params
            .iter()
            .find(|d| d.name == name)
            .map(|d| d.slot as usize)
            .expect("declared")
    };
    let slots: Vec<(String, usize)> = program
        .ir
        .params
        .iter()
        .map(|d| (d.name.clone(), slot(&d.name)))
        .collect();
    let cfg = kanon_runtime::Config::exact(SR, ch, block);
    let (mut handle, mut proc) = kanon_runtime::engine(&program, cfg);
    let mut out = vec![0f32; blocks * block * ch];
    for (b, chunk) in out.chunks_mut(block * ch).enumerate() {
        for (name, v) in set(b) {
            let s = slots.iter().find(|(n, _)| n == name).expect("a name").1;
            handle.set_param(s, v).expect("room");
        }
        proc.process(chunk);
    }
    (out, ch)
}

/// The noise colours, instruments and effects, in their own file.
#[path = "builtins/fx.rs"]
mod fx;

#[test]
fn every_builtin_is_tested() {
    let mut table: Vec<&str> = builtins::all().map(|b| b.name).collect();
    // A builtin named like a Rust keyword is tested as `r#name`.
    let mut tested: Vec<&str> = TESTED.iter().map(|n| n.trim_start_matches("r#")).collect();
    tested.extend(fx::TESTED);
    table.sort_unstable();
    tested.sort_unstable();
    let untested: Vec<&&str> = table.iter().filter(|n| !tested.contains(n)).collect();
    let stale: Vec<&&str> = tested.iter().filter(|n| !table.contains(n)).collect();
    assert!(
        untested.is_empty() && stale.is_empty(),
        "builtins without a test in compiler/tests/builtins.rs: {untested:?}; \
         tests of builtins that no longer exist: {stale:?}"
    );
}

/// Freeverb's first echo: an impulse at 44.1 kHz comes out wet-only at frame 1116 on
/// the left (its shortest comb) and 1139 on the right (1116 + the stereo spread 23),
/// and the whole response is Jezar's, sample by sample.
#[test]
fn reverb_impulse_at_44100() {
    let sr = 44_100.0;
    let source = Source::new("t.kn", "out: mem 0 1 # reverb 0.7 0.2 1");
    let program = compile(&source, Options::at(sr)).expect("compiles");
    let frames = 44_100;
    let out = kanon_runtime::render(&program, frames, 64);
    let first = |c: usize| (0..frames).find(|&n| out[n * 2 + c] != 0.0);
    assert_eq!(first(0), Some(1116));
    assert_eq!(first(1), Some(1139));
    let mut model = models::Freeverb::new(sr);
    for n in 0..frames {
        let x = if n == 0 { 1.0 } else { 0.0 };
        let want = model.process(x, x, 0.7, 0.2, 1.0);
        for c in 0..2 {
            let (got, w) = (out[n * 2 + c], want[c] as f32);
            assert!(
                f64::from((got - w).abs()) <= TOL,
                "frame {n}, channel {c}: {got:e} vs {w:e}"
            );
        }
    }
}

/// Left out, an oscillator's frequency is the tempo (one turn a cycle, Phonon's bare
/// `phasor`), and a biquad's q is 0.707 (Butterworth: no resonant peak).
#[test]
fn defaults_of_bare_oscillators_and_filters() {
    let src = "tempo: 2\n~in: saw 110\nout: [sine, phasor, saw, ~in # lpf 800, hpf ~in 300]";
    let (mut s, mut p, mut w, mut input) = (
        Sine::default(),
        Phase::default(),
        Phase::default(),
        Phase::default(),
    );
    let (mut lo, mut hi) = (Biquad::default(), Biquad::default());
    check(src, FRAMES, TOL, || {
        let x = 2.0 * input.next(110.0) - 1.0;
        vec![
            s.next(2.0),
            p.next(2.0),
            2.0 * w.next(2.0) - 1.0,
            lo.next(Kind::Low, x, 800.0, 0.707),
            hi.next(Kind::High, x, 300.0, 0.707),
        ]
    });
}

/// Dattorro's plate at his own rate: an impulse comes out first on the left 266 samples
/// later (the right half's first delay, tap a[266]) and on the right after 353 (the left
/// half's, d[353]); the diffusers and the tank's first allpasses pass at once.
#[test]
fn plate_impulse_at_29761() {
    let sr = 29_761.0;
    let source = Source::new("t.kn", "out: mem 0 1 # plate 0 0.5 :mix 1");
    let program = compile(&source, Options::at(sr)).expect("compiles");
    let frames = 29_761;
    let out = kanon_runtime::render(&program, frames, 64);
    let first = |c: usize| (0..frames).find(|&n| out[n * 2 + c] != 0.0);
    assert_eq!(first(0), Some(266));
    assert_eq!(first(1), Some(353));
    let mut model = models::Plate::new(sr);
    for n in 0..frames {
        let x = if n == 0 { 1.0 } else { 0.0 };
        let want = model.process(x, x, 0.0, 0.5, 1.0, 0.0005, 1.0, 1.0);
        for c in 0..2 {
            let (got, w) = (out[n * 2 + c], want[c] as f32);
            assert!(
                f64::from((got - w).abs()) <= TOL,
                "frame {n}, channel {c}: {got:e} vs {w:e}"
            );
        }
    }
}

#[test]
fn param_mistakes_are_clear_errors() {
    let error = |src: &str| {
        let source = Source::new("t.kn", src);
        match compile(&source, Options::default()) {
            Ok(_) => panic!("{src} compiled"),
            Err(d) => d.iter().map(|d| d.render(&source)).collect::<String>(),
        }
    };
    let cases = [
        ("out: param cutoff 1000", "must be a name in quotes"),
        ("out: param \"cut off\" 1000", "is not a parameter name"),
        ("out: param \"cutoff\" (sine 1)", "must be a constant"),
        (
            "out: param \"cutoff\" 1000 (-1)",
            "smoothing time of `param` is 0 to",
        ),
        (
            "out: param \"cutoff\" 1000 + param \"cutoff\" 500",
            "declared with the default 1000 elsewhere",
        ),
        ("out: param \"cutoff\"", "takes 2 to 7 arguments"),
    ];
    for (src, want) in cases {
        let got = error(src);
        assert!(got.contains(want), "{src}: {got}");
    }
}

/// A controller mapping's mistakes: each is an error at the call, with file, line,
/// column and a caret, never a panic.
#[test]
fn cc_mapping_mistakes_are_clear_errors() {
    let cases = [
        (
            ":cc 128 :min 0 :max 1",
            "a whole number from 0 to 119, not 128",
        ),
        (":cc 120 :min 0 :max 1", "not 120 (120–127 are channel mode"),
        (":cc (-1) :min 0 :max 1", "not -1"),
        (":cc 7.5 :min 0 :max 1", "not 7.5"),
        (
            ":cc (sine 1) :min 0 :max 1",
            "controller (`:cc`) of `param` must be a constant",
        ),
        (":cc 74 :min 5 :max 5", "`:min` and `:max` are both 5"),
        (
            ":cc 74 :min \"a\" :max 5",
            "`:min` of `param` must be a constant",
        ),
        (":cc 74 :max 5", "needs both ends"),
        (":min 0 :max 5", "give it with `:cc N`"),
        (
            ":cc 74 :min 0 :max 5 :curve exp",
            "`curve` of `param` must be a name in quotes",
        ),
        (
            ":cc 74 :min 0 :max 5 :curve \"log\"",
            "is \"lin\" or \"exp\", not \"log\"",
        ),
        (
            ":cc 74 :min 0 :max 5 :curve \"exp\"",
            "needs `:min` and `:max` of the same sign",
        ),
        (":cc 74 :min (-2) :max 5 :curve \"exp\"", "same sign"),
        (
            ":cc 74 :min 0 :max 5 :kurve \"exp\"",
            "has no parameter `kurve`",
        ),
    ];
    for (args, want) in cases {
        let src = format!("~a: saw 110\nout: ~a * param \"cutoff\" 1200 {args}");
        let source = Source::new("t.kn", &src);
        let got = match compile(&source, Options::default()) {
            Ok(_) => panic!("{src} compiled"),
            Err(d) => d.iter().map(|d| d.render(&source)).collect::<String>(),
        };
        assert!(got.contains(want), "{args}: {got}");
        assert!(got.contains("t.kn:2:"), "{args}: no place in {got}");
        assert!(got.contains('^'), "{args}: no caret in {got}");
    }
    // Two names on one controller, and one name mapped two ways.
    for (src, want, at) in [
        (
            "~a: param \"cutoff\" 1 :cc 74 :min 0 :max 1\nout: ~a * param \"res\" 1 :cc 74 :min 0 :max 2",
            "CC 74 is already mapped to \"cutoff\"",
            "t.kn:2:",
        ),
        (
            "~a: param \"cutoff\" 1 :cc 74 :min 0 :max 1\nout: ~a * param \"cutoff\" 1 :cc 75 :min 0 :max 1",
            "mapped to CC 74 0..1 elsewhere",
            "t.kn:2:",
        ),
    ] {
        let source = Source::new("t.kn", src);
        let got = match compile(&source, Options::default()) {
            Ok(_) => panic!("{src} compiled"),
            Err(d) => d.iter().map(|d| d.render(&source)).collect::<String>(),
        };
        assert!(got.contains(want) && got.contains(at), "{src}: {got}");
    }
}

/// The mapping travels in the program's parameter list; the same mapping may be given at
/// every use, and a use without one reads the same parameter.
#[test]
fn a_cc_mapping_is_in_the_programs_parameters() {
    use kanon_compiler::ir::{CcMap, Curve};
    let src = "~cut: param \"cutoff\" 1200 :cc 74 :min 200 :max 8000 :curve \"exp\"\n\
               ~res: param \"res\" 1 0 :cc 71 :min 0.5 :max 10\n\
               out: saw 110 # lpf (~cut + param \"cutoff\" 1200 :cc 74 :min 200 :max 8000 :curve \"exp\") ~res \
               * param \"cutoff\" 1200 * param \"gain\" 0.5";
    let p = compile(&Source::new("t.kn", src), Options::default()).expect("compiles");
    let cc = |name: &str| p.ir.params.iter().find(|d| d.name == name).expect(name).cc;
    assert_eq!(
        cc("cutoff"),
        Some(CcMap {
            controller: 74,
            min: 200.0,
            max: 8000.0,
            curve: Curve::Exp
        })
    );
    assert_eq!(
        cc("res"),
        Some(CcMap {
            controller: 71,
            min: 0.5,
            max: 10.0,
            curve: Curve::Lin
        })
    );
    assert_eq!(cc("gain"), None);
}

/// The formula, at exact values: linear `min·(1 − v/127) + max·v/127`, exponential
/// `min·(max/min)^(v/127)`, both ends exact, a reversed range walking down.
#[test]
fn cc_mapping_formula() {
    use kanon_compiler::ir::{CcMap, Curve};
    let lin = CcMap {
        controller: 74,
        min: 200.0,
        max: 8000.0,
        curve: Curve::Lin,
    };
    assert_eq!(lin.value_of_cc(0), 200.0);
    assert_eq!(lin.value_of_cc(127), 8000.0);
    assert_eq!(
        lin.value_of_cc(64),
        200.0 * (63.0 / 127.0) + 8000.0 * (64.0 / 127.0)
    );
    assert!((lin.value_of_cc(64) - 4130.708661417323).abs() < 1e-9);
    let exp = CcMap {
        curve: Curve::Exp,
        min: 20.0,
        max: 20_000.0,
        ..lin
    };
    assert_eq!(exp.value_of_cc(0), 20.0);
    assert_eq!(exp.value_of_cc(127), 20_000.0);
    // Halfway up the knob is the geometric mean: 20·1000^(1/2) ≈ 632.456 Hz.
    assert!((exp.value(0.5) - 632.455_532_033_675_9).abs() < 1e-9);
    assert!((exp.value_of_cc(64) - 20.0 * 1000f64.powf(64.0 / 127.0)).abs() < 1e-12);
    let down = CcMap {
        min: 1.0,
        max: -1.0,
        curve: Curve::Lin,
        ..lin
    };
    assert_eq!(down.value_of_cc(0), 1.0);
    assert_eq!(down.value_of_cc(127), -1.0);
    assert!(down.value(0.5).abs() < 1e-15);
    // Outside 0..1 (a stray OSC `/ctrl` value) is clamped to the ends.
    assert_eq!(lin.value(-3.0), 200.0);
    assert_eq!(lin.value(7.0), 8000.0);
}

#[test]
fn a_name_keeps_its_slot_in_every_program_of_one_compiler() {
    let mut c = kanon_compiler::Compiler::new();
    let mut slots = |src: &str| {
        let p = c
            .compile(&Source::new("t.kn", src), Options::default())
            .expect("compiles");
        p.ir.params
            .iter()
            .map(|d| (d.name.clone(), d.slot))
            .collect::<Vec<_>>()
    };
    let s = |v: &[(&str, u32)]| -> Vec<(String, u32)> {
        v.iter().map(|(n, s)| (n.to_string(), *s)).collect()
    };
    assert_eq!(
        slots("out: param \"a\" 1 + param \"b\" 2"),
        s(&[("a", 0), ("b", 1)])
    );
    // `b` first now, and a new name: each keeps or gets its own slot.
    assert_eq!(
        slots("out: param \"b\" 2 + param \"c\" 3 + param \"a\" 1"),
        s(&[("b", 1), ("c", 2), ("a", 0)])
    );
}
