//! The noise colours, instruments and effects (`noise.rs`, `instruments.rs`,
//! `effects.rs`) against plain-Rust transcriptions of their documented formulas, with the
//! helpers of `builtins.rs`.

use super::{check, Biquad, Input, Kind, Phase, Sine, EXACT, FRAMES, INPUT, SR, TOL};
use kanon_compiler::builtins::MAX_GLIDE;
use kanon_compiler::ir::math;
use std::f64::consts::{PI, TAU};

/// `noise` at the call site `key`: the LCG seeded with FNV-1a of the key.
struct Noise(u64);

impl Noise {
    fn at(key: &str) -> Noise {
        let h = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        Noise(h & 0xffff_ffff)
    }

    fn next(&mut self) -> f64 {
        let y = self.0 as f64 / 2_147_483_648.0 - 1.0;
        self.0 = (self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223)) & 0xffff_ffff;
        y
    }
}

/// One tap of the shared delay line: its input history, its gliding read time, its length.
struct Tap {
    hist: Vec<f64>,
    time: Option<f64>,
    len: usize,
    glides: bool,
}

impl Tap {
    /// A line built for `max_samples` (the buffer is a power of two ≥ max + 2).
    fn new(max_samples: usize) -> Tap {
        Tap {
            hist: Vec::new(),
            time: None,
            len: (max_samples + 2).max(4).next_power_of_two(),
            glides: true,
        }
    }

    /// A line read with `DelayTime::Jumping`: no glide.
    fn jumping(max_samples: usize) -> Tap {
        Tap {
            glides: false,
            ..Tap::new(max_samples)
        }
    }

    /// Writes `x`, then reads `samples` behind it (clamped, gliding, interpolated).
    fn next(&mut self, x: f64, samples: f64) -> f64 {
        self.hist.push(x);
        let n = self.hist.len() as i64 - 1;
        let target = samples.clamp(0.0, (self.len - 2) as f64);
        let d = match self.time {
            _ if !self.glides => target,
            Some(prev) if prev - target < -MAX_GLIDE => prev + MAX_GLIDE,
            Some(prev) if prev - target > MAX_GLIDE => prev - MAX_GLIDE,
            _ => target,
        };
        self.time = Some(d);
        let i = d.floor();
        let f = d - i;
        let k = n - i as i64;
        let at = |k: i64| if k < 0 { 0.0 } else { self.hist[k as usize] };
        let (a, b) = (at(k), at(k - 1));
        a + f * (b - a)
    }
}

/// fundsp's soft-saw partial `i` at pitch `f`: ±1/i² (+ where i mod 4 = 1), faded by
/// smooth5 from 20 kHz to 22 kHz.
fn soft_saw_weight(f: f64, i: usize) -> f64 {
    let x = ((22_000.0 - f * i as f64) / 2_000.0).clamp(0.0, 1.0);
    let smooth5 = ((6.0 * x - 15.0) * x + 10.0) * x * x * x;
    let sign = if i % 4 == 1 { 1.0 } else { -1.0 };
    sign * smooth5 / (i * i) as f64
}

/// fundsp's normalisation of its soft-saw tables: the peak of the 20 Hz table (1100
/// partials sampled at 8192 points).
fn soft_saw_peak() -> f64 {
    (0..8192)
        .map(|k| {
            let t = TAU * k as f64 / 8192.0;
            (1..=1100)
                .map(|i| soft_saw_weight(20.0, i) * (i as f64 * t).sin())
                .sum::<f64>()
                .abs()
        })
        .fold(0.0, f64::max)
}

/// `env`'s level at `t` samples (1 on the first) with the gate held open: `adsr` with
/// no release, transcribed from Faust's `en.adsr`.
fn held(t: f64, at: f64, dt: f64, sl: f64) -> f64 {
    let an = (at * SR).max(1.0);
    let dn = (dt * SR).max(1.0);
    let dd = (1.0 - sl) / dn;
    (t / an).min((1.0 + an * dd - t * dd).max(sl)).max(0.0)
}

/// `superkick freq pitch_env sustain noise`.
struct Kick {
    t: f64,
    phase: PhaseAt,
    noise: Noise,
    lp: Biquad,
}

impl Kick {
    fn at(key: &str) -> Kick {
        Kick {
            t: 0.0,
            phase: PhaseAt(0.0),
            noise: Noise::at(key),
            lp: Biquad::default(),
        }
    }

    fn next(&mut self, freq: f64, pitch_env: f64, sustain: f64, noise: f64) -> f64 {
        self.t += 1.0;
        let t = self.t;
        let f = freq * (1.0 + 2.0 * pitch_env * held(t, 0.001, 0.05, 0.0));
        let body = math::sin_turns(self.phase.next(f)) * held(t, 0.001, 0.7 * sustain, 0.3);
        let n = self.noise.next() * held(t, 0.001, 0.01, 0.0);
        body + noise * self.lp.next(Kind::Low, n, 800.0, 0.5)
    }
}

/// `supersnare freq snappy sustain`.
struct Snare {
    t: f64,
    p: [PhaseAt; 2],
    noise: Noise,
    hp: Biquad,
}

impl Snare {
    fn at(key: &str) -> Snare {
        Snare {
            t: 0.0,
            p: [PhaseAt(0.0), PhaseAt(0.3)],
            noise: Noise::at(key),
            hp: Biquad::default(),
        }
    }

    fn next(&mut self, freq: f64, snappy: f64, sustain: f64) -> f64 {
        self.t += 1.0;
        let t = self.t;
        let tri = |p: f64| {
            if p < 0.5 {
                4.0 * p - 1.0
            } else {
                3.0 - 4.0 * p
            }
        };
        let body = tri(self.p[0].next(freq)) + tri(self.p[1].next(1.05 * freq));
        let body = body * held(t, 0.001, 0.3 * sustain, 0.0);
        let snap = self.hp.next(Kind::High, self.noise.next(), 3000.0, 0.5);
        0.5 * body + snappy * snap * held(t, 0.001, sustain, 0.0)
    }
}

/// `superhat bright sustain`.
struct Hat {
    t: f64,
    noise: Noise,
    hp: Biquad,
}

impl Hat {
    fn at(key: &str) -> Hat {
        Hat {
            t: 0.0,
            noise: Noise::at(key),
            hp: Biquad::default(),
        }
    }

    fn next(&mut self, bright: f64, sustain: f64) -> f64 {
        self.t += 1.0;
        let y = self
            .hp
            .next(Kind::High, self.noise.next(), 5000.0 + 5000.0 * bright, 1.5);
        y * held(self.t, 0.001, sustain, 0.0)
    }
}

/// A phase accumulator starting at `init`, read before it advances.
struct PhaseAt(f64);

impl PhaseAt {
    fn next(&mut self, freq: f64) -> f64 {
        let p = self.0;
        let s = p + freq / SR;
        self.0 = s - s.floor();
        p
    }
}

/// Kellet's refined pink filter.
#[derive(Default)]
struct Pink {
    b: [f64; 7],
}

impl Pink {
    fn next(&mut self, w: f64) -> f64 {
        const P: [(f64, f64); 6] = [
            (0.99886, 0.0555179),
            (0.99332, 0.0750759),
            (0.96900, 0.1538520),
            (0.86650, 0.3104856),
            (0.55000, 0.5329522),
            (-0.7616, -0.0168980),
        ];
        let mut sum = self.b[6] + w * 0.5362;
        for (i, (p, g)) in P.iter().enumerate() {
            self.b[i] = p * self.b[i] + g * w;
            sum += self.b[i];
        }
        self.b[6] = w * 0.115926;
        sum * 0.11
    }
}

/// The PolyBLEP residual.
fn blep(t: f64, dt: f64) -> f64 {
    if t < dt {
        let u = t / dt;
        2.0 * u - u * u - 1.0
    } else if t > 1.0 - dt {
        let u = (t - 1.0) / dt;
        u * u + 2.0 * u + 1.0
    } else {
        0.0
    }
}

/// `pulse` at phase `p` of `f` Hz with duty cycle `w`.
fn pulse_wave(p: f64, f: f64, w: f64) -> f64 {
    let dt = f.abs() / SR;
    let w = w.clamp(0.0, 1.0);
    let naive = if p < w { 1.0 } else { -1.0 };
    let t = p - w + 1.0;
    naive + blep(p, dt) - blep(t - t.floor(), dt)
}

/// A Karplus-Strong string as `pluck` documents it.
struct Pluck {
    noise: Noise,
    tap: Tap,
    was: f64,
    left: f64,
    y1: f64,
    a1: f64,
}

impl Pluck {
    fn at(key: &str) -> Pluck {
        Pluck {
            noise: Noise::at(key),
            tap: Tap::new((SR / 20.0).ceil() as usize),
            was: 0.0,
            left: 0.0,
            y1: 0.0,
            a1: 0.0,
        }
    }

    /// `pluck freq damping trig`.
    fn next(&mut self, freq: f64, damping: f64, trig: f64) -> f64 {
        let g = 0.9995 - damping.clamp(0.0, 1.0) * 0.001;
        self.step(SR / freq.clamp(20.0, 10_000.0), g, trig)
    }

    /// The loop of `n` samples with loss `g`, plucked by a noise burst on a rising trig.
    fn step(&mut self, n: f64, g: f64, trig: f64) -> f64 {
        let high = if trig > 0.5 { 1.0 } else { 0.0 };
        let edge = high > self.was;
        self.was = high;
        let l = if edge { n } else { self.left };
        self.left = (l - 1.0).max(0.0);
        let w = self.noise.next();
        let x = if l > 0.0 { w } else { 0.0 };
        let a = self.tap.next(self.y1, n - 1.5);
        let y = x + (g * 0.5) * (a + self.a1);
        self.a1 = a;
        self.y1 = y;
        y
    }
}

/// `waveguide`: the string loop heard at a pickup through two more taps.
struct Waveguide {
    string: Pluck,
    right: Tap,
    left: Tap,
}

impl Waveguide {
    fn at(key: &str) -> Waveguide {
        let max = (SR / 20.0).ceil() as usize;
        Waveguide {
            string: Pluck::at(key),
            right: Tap::new(max),
            left: Tap::new(max),
        }
    }

    fn next(&mut self, freq: f64, damping: f64, pickup: f64, trig: f64) -> f64 {
        let n = SR / freq.clamp(20.0, 10_000.0);
        let d = damping.clamp(0.0, 1.0);
        let g = (1.0 - 0.00001) - d * d * 0.001;
        let s = self.string.step(n, g, trig);
        let x = pickup.clamp(0.0, 1.0);
        let l = n * 0.5;
        let right = self.right.next(s, x * l);
        let left = self.left.next(s, (2.0 - x) * l);
        (right - left) * 0.5
    }
}

/// The Stilson-Smith ladder as `moog_ladder` documents it.
#[derive(Default)]
struct Moog {
    s: [f64; 4],
    x1: f64,
}

impl Moog {
    fn next(&mut self, x: f64, cutoff: f64, res: f64) -> f64 {
        let fc = cutoff.clamp(20.0, 20_000f64.min(0.45 * SR));
        let r = res.clamp(0.0, 1.0);
        let c = fc * (2.0 / SR);
        let p = c * (1.8 - 0.8 * c);
        let k = 2.0 * math::sin(c * (PI / 2.0)) - 1.0;
        let t1 = (1.0 - p) * 1.386249;
        let t2 = 12.0 + t1 * t1;
        let rez = r * ((t2 + 6.0 * t1) / (t2 - 6.0 * t1));
        let x = x - rez * self.s[3];
        let s0 = (x + self.x1) * p - k * self.s[0];
        let s1 = (s0 + self.s[0]) * p - k * self.s[1];
        let s2 = (s1 + self.s[1]) * p - k * self.s[2];
        let s3 = ((s2 + self.s[2]) * p - k * self.s[3]).tanh();
        self.x1 = x;
        self.s = [s0, s1, s2, s3];
        s3
    }
}

/// A direct-form-I biquad with given coefficients `(b0, b1, b2, a1, a2)`.
#[derive(Default)]
struct Df1 {
    x1: f64,
    x2: f64,
    y1: f64,
    y2: f64,
}

impl Df1 {
    fn next(&mut self, x: f64, (b0, b1, b2, a1, a2): (f64, f64, f64, f64, f64)) -> f64 {
        let y = b0 * x + b1 * self.x1 + b2 * self.x2 - a1 * self.y1 - a2 * self.y2;
        (self.x2, self.x1, self.y2, self.y1) = (self.x1, x, self.y1, y);
        y
    }
}

/// RBJ peaking coefficients with `parametric_eq`'s clamps.
fn peaking(freq: f64, gain: f64, q: f64) -> (f64, f64, f64, f64, f64) {
    let fc = freq.clamp(20.0, 20_000f64.min(0.49 * SR));
    let g = gain.clamp(-20.0, 20.0);
    let q = q.clamp(0.1, 10.0);
    let a = 10f64.powf(g * (1.0 / 40.0));
    let w = fc * (TAU / SR);
    let (cw, sw) = (math::cos(w), math::sin(w));
    let alpha = sw * (0.5 / q);
    let r = 1.0 / (1.0 + alpha / a);
    let a1 = -2.0 * cw * r;
    (
        (1.0 + alpha * a) * r,
        a1,
        (1.0 - alpha * a) * r,
        a1,
        (1.0 - alpha / a) * r,
    )
}

/// A sine LFO whose phase advances before it is read.
#[derive(Default)]
struct LfoAfter(f64);

impl LfoAfter {
    fn next(&mut self, rate: f64) -> f64 {
        let s = self.0 + rate * (1.0 / SR);
        self.0 = s - s.floor();
        math::sin_turns(self.0)
    }
}

/// `1 − exp(−1/(max(t, 1e-5)·sr))`.
fn follow_k(t: f64) -> f64 {
    1.0 - (-1.0 / (t.max(1e-5) * SR)).exp()
}

/// A Chamberlin state-variable filter's band-pass output.
#[derive(Default, Clone)]
struct Svf {
    low: f64,
    band: f64,
}

impl Svf {
    fn next(&mut self, x: f64, k: f64, damp: f64) -> f64 {
        let h = x - self.low - damp * self.band;
        self.band += k * h;
        self.low += k * self.band;
        self.band
    }
}

/// A band-rich input and a slow 0…1 ramp for gates and dynamics: `~in`, `~env`.
const DYN: &str = "~in: saw 110 + 0.3 * sine 1700\n~env: tri 0.75 * 0.5 + 0.5\n";

/// The signals of [`DYN`].
#[derive(Default)]
struct Dyn {
    input: Input,
    env: Phase,
}

impl Dyn {
    fn next(&mut self) -> (f64, f64) {
        let t = 1.0 - 4.0 * (self.env.next(0.75) - 0.5).abs();
        (self.input.next(), t * 0.5 + 0.5)
    }
}

builtin_tests! {
    white_noise {
        let mut n = [Noise::at("out/white_noise#0"), Noise::at("~w/white_noise#0")];
        check("~w: white_noise\nout: [white_noise, ~w]", FRAMES, EXACT, || {
            n.iter_mut().map(Noise::next).collect()
        });
    }

    pink_noise {
        let mut n = [Noise::at("out/pink_noise#0"), Noise::at("out/pink_noise#1")];
        let mut p: [Pink; 2] = Default::default();
        let (mut lo, mut hi) = (0.0f64, 0.0f64);
        check("out: [pink_noise, pink_noise]", FRAMES, TOL, || {
            let y: Vec<f64> = (0..2).map(|i| p[i].next(n[i].next())).collect();
            lo = lo.min(y[0]);
            hi = hi.max(y[0]);
            y
        });
        assert!(lo > -1.5 && hi < 1.5 && hi - lo > 0.5, "pink range {lo}..{hi}");
    }

    brown_noise {
        let mut n = Noise::at("out/brown_noise#0");
        let mut a = 0.0f64;
        check("out: brown_noise", FRAMES, TOL, || {
            a = ((a + 0.1 * n.next()) * 0.998).clamp(-1.5, 1.5);
            vec![0.7 * a]
        });
    }

    impulse {
        // A swept rate (with negative values: no impulses) and a steady 100 Hz.
        let mut lfo = Sine::default();
        let mut p = [1.0f64, 1.0];
        let mut count = 0;
        check("out: [impulse (30 + 60 * sine 0.7), impulse 100]", FRAMES, EXACT, || {
            let f = [(30.0 + 60.0 * lfo.next(0.7)).max(0.0), 100.0];
            (0..2)
                .map(|i| {
                    let s = p[i] + f[i] / SR;
                    p[i] = s - s.floor();
                    let y = if s >= 1.0 { 1.0 } else { 0.0 };
                    count += (i == 1 && y == 1.0) as usize;
                    y
                })
                .collect()
        });
        assert_eq!(count, 100, "100 impulses in one second at 100 Hz");
    }

    pulse {
        let (mut lfo, mut wl) = (Sine::default(), Sine::default());
        let mut p: [Phase; 3] = Default::default();
        check(
            "out: [pulse (200 + 150 * sine 0.5) (0.5 + 0.4 * sine 1.1), pulse 440, pulse 1000 0.1]",
            FRAMES,
            TOL,
            || {
                let f = 200.0 + 150.0 * lfo.next(0.5);
                let w = 0.5 + 0.4 * wl.next(1.1);
                vec![
                    pulse_wave(p[0].next(f), f, w),
                    pulse_wave(p[1].next(440.0), 440.0, 0.5),
                    pulse_wave(p[2].next(1000.0), 1000.0, 0.1),
                ]
            },
        );
    }

    supersaw {
        // Phonon's default (7 voices, detune 0.3), and 3 voices with a moving detune.
        let mut lfo = Sine::default();
        let mut a: Vec<PhaseAt> = (0..7).map(|i| PhaseAt((0.13 * i as f64).fract())).collect();
        let mut b: Vec<PhaseAt> = (0..3).map(|i| PhaseAt((0.13 * i as f64).fract())).collect();
        let saws = |ph: &mut Vec<PhaseAt>, f: f64, det: f64| {
            let v = ph.len();
            let s: f64 = ph
                .iter_mut()
                .enumerate()
                .map(|(i, p)| {
                    let k = 1.0 + (2.0 * i as f64 / (v - 1) as f64 - 1.0) * det * 0.1;
                    2.0 * p.next(f * k) - 1.0
                })
                .sum();
            s * (0.7 / v as f64)
        };
        check("out: [supersaw 110, supersaw 220 (0.5 + 0.5 * sine 0.3) 3.7]", FRAMES, TOL, || {
            let det = 0.5 + 0.5 * lfo.next(0.3);
            vec![saws(&mut a, 110.0, 0.3), saws(&mut b, 220.0, det)]
        });
    }

    fm {
        let (mut lfo, mut ml) = (Sine::default(), Sine::default());
        let mut ph: [Phase; 4] = Default::default();
        let fm = |c: f64, m: f64, i: f64| math::sin(TAU * c + i.max(0.0) * math::sin_turns(m));
        check("out: [fm 440 220 (3 * sine 0.5), fm 110 (55 + 50 * sine 2) 2]", FRAMES, TOL, || {
            let idx = 3.0 * lfo.next(0.5);
            let m = 55.0 + 50.0 * ml.next(2.0);
            vec![
                fm(ph[0].next(440.0), ph[1].next(220.0), idx),
                fm(ph[2].next(110.0), ph[3].next(m), 2.0),
            ]
        });
    }

    pluck {
        // Plucked at the start, a second string re-plucked four times a second with a
        // moving pitch and damping, and a comb-like steady string.
        let mut s = [Pluck::at("out/pluck#0"), Pluck::at("out/pluck#1")];
        let (mut lfo, mut dl, mut trig) = (Sine::default(), Sine::default(), Phase::default());
        check(
            "out: [pluck 220, pluck (300 + 100 * sine 0.5) (0.5 + 0.5 * sine 0.9) (phasor 4 < 0.5)]",
            FRAMES,
            TOL,
            || {
                let f = 300.0 + 100.0 * lfo.next(0.5);
                let d = 0.5 + 0.5 * dl.next(0.9);
                let t = if trig.next(4.0) < 0.5 { 1.0 } else { 0.0 };
                vec![s[0].next(220.0, 0.5, 1.0), s[1].next(f, d, t)]
            },
        );
    }

    comb {
        let mut input = Input::default();
        let mut lfo = Sine::default();
        let mut taps = [Tap::new(2400), Tap::new(2400)];
        let mut y1 = [0.0f64; 2];
        let src = format!("{INPUT}out: [comb (~in * 0.1) 220 0.9, ~in # comb (300 + 200 * sine 0.5) 1.5]");
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let f = [220.0, 300.0 + 200.0 * lfo.next(0.5)];
            let fb = [0.9, 0.99];
            let xin = [x * 0.1, x];
            (0..2)
                .map(|i| {
                    let n = SR / f[i].clamp(20.0, 20_000.0);
                    let r = taps[i].next(y1[i], n - 1.0);
                    let y = xin[i] + fb[i] * r;
                    y1[i] = y;
                    y
                })
                .collect()
        });
    }
    waveguide {
        // Plucked at the start and picked up near the bridge; re-plucked with a moving
        // pickup and pitch.
        let mut s = [Waveguide::at("out/waveguide#0"), Waveguide::at("out/waveguide#1")];
        let (mut lfo, mut pl, mut trig) = (Sine::default(), Sine::default(), Phase::default());
        check(
            "out: [waveguide 110 0.3 0.1, waveguide (200 + 50 * sine 0.5) 0.8 (0.5 + 0.6 * sine 0.7) (phasor 3 < 0.5)]",
            FRAMES,
            TOL,
            || {
                let f = 200.0 + 50.0 * lfo.next(0.5);
                let x = 0.5 + 0.6 * pl.next(0.7);
                let t = if trig.next(3.0) < 0.5 { 1.0 } else { 0.0 };
                vec![s[0].next(110.0, 0.3, 0.1, 1.0), s[1].next(f, 0.8, x, t)]
            },
        );
    }

    superfm {
        let mut ph: [Phase; 4] = Default::default();
        let mut il = Sine::default();
        check("out: [superfm 220, superfm 110 1.5 (2 * sine 0.5)]", FRAMES, TOL, || {
            let idx = 2.0 * il.next(0.5);
            let mut fm = |i: usize, f: f64, ratio: f64, index: f64| {
                let m = math::sin_turns(ph[2 * i].next(f * ratio));
                math::sin_turns(ph[2 * i + 1].next(f * (1.0 + index * m)))
            };
            vec![fm(0, 220.0, 2.0, 1.0), fm(1, 110.0, 1.5, idx)]
        });
    }

    superchip {
        let mut ph: [Phase; 4] = Default::default();
        check("out: [superchip 440, superchip 220 2 0.12]", FRAMES, EXACT, || {
            let mut chip = |i: usize, f: f64, rate: f64, depth: f64| {
                let v = math::sin_turns(ph[2 * i].next(rate));
                if ph[2 * i + 1].next(f * (1.0 + depth * v)) < 0.5 { 1.0 } else { -1.0 }
            };
            vec![chip(0, 440.0, 5.0, 0.05), chip(1, 220.0, 2.0, 0.12)]
        });
    }

    superpwm {
        let mut ph: [Phase; 4] = Default::default();
        check("out: [superpwm 110, superpwm 220 3 1.5]", FRAMES, TOL, || {
            let mut pwm = |i: usize, f: f64, rate: f64, depth: f64| {
                let t = 1.0 - 4.0 * (ph[2 * i].next(rate) - 0.5).abs();
                let w = 0.5 + depth.clamp(0.0, 1.0) * 0.45 * t;
                pulse_wave(ph[2 * i + 1].next(f), f, w)
            };
            vec![pwm(0, 110.0, 0.5, 0.8), pwm(1, 220.0, 3.0, 1.5)]
        });
    }

    soft_saw_hz {
        // A low note (no harmonic faded), and one swept up through the 20–22 kHz fade.
        let mut ph: [Phase; 2] = Default::default();
        let mut fl = Sine::default();
        let m = soft_saw_peak();
        check("out: [soft_saw_hz 55, soft_saw_hz (900 + 500 * sine 2)]", FRAMES, TOL, || {
            let f = 900.0 + 500.0 * fl.next(2.0);
            let mut saw = |k: usize, f: f64| {
                let t = TAU * ph[k].next(f);
                (1..=64)
                    .map(|i| soft_saw_weight(f, i) * (i as f64 * t).sin())
                    .sum::<f64>()
                    / m
            };
            vec![saw(0, 55.0), saw(1, f)]
        });
    }

    superkick {
        // The defaults, and a moving pitch sweep and click level with a longer sustain.
        let mut k = [Kick::at("out/superkick#0"), Kick::at("out/superkick#1")];
        let (mut pl, mut nl) = (Sine::default(), Sine::default());
        check(
            "out: [superkick 60, superkick 45 (0.5 + 0.5 * sine 3) 0.6 (0.5 + 0.5 * sine 2)]",
            FRAMES,
            TOL,
            || {
                let pe = 0.5 + 0.5 * pl.next(3.0);
                let na = 0.5 + 0.5 * nl.next(2.0);
                vec![k[0].next(60.0, 0.5, 0.3, 0.1), k[1].next(45.0, pe, 0.6, na)]
            },
        );
    }

    supersnare {
        let mut s = [Snare::at("out/supersnare#0"), Snare::at("out/supersnare#1")];
        let mut fl = Sine::default();
        check(
            "out: [supersnare 200, supersnare (180 + 40 * sine 2) 0.3 0.02]",
            FRAMES,
            TOL,
            || {
                let f = 180.0 + 40.0 * fl.next(2.0);
                vec![s[0].next(200.0, 0.8, 0.08), s[1].next(f, 0.3, 0.02)]
            },
        );
    }

    superhat {
        let mut h = [Hat::at("out/superhat#0"), Hat::at("out/superhat#1")];
        let mut bl = Sine::default();
        check("out: [superhat, superhat (0.5 + 0.5 * sine 4) 0.01]", FRAMES, TOL, || {
            let b = 0.5 + 0.5 * bl.next(4.0);
            vec![h[0].next(0.7, 0.05), h[1].next(b, 0.01)]
        });
    }

    formant {
        // The vowel "a", and a moving second formant with a bandwidth swept past its clamp.
        let (mut input, mut fl, mut bl) = (Input::default(), Sine::default(), Sine::default());
        let mut f: [[Svf; 3]; 2] = Default::default();
        let src = format!(
            "{INPUT}out: [formant ~in 730 1090 2440 80 90 120,              ~in # formant 570 (1400 + 500 * sine 0.5) 12000 (500 + 600 * sine 0.3) 5 90]"
        );
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let f2 = 1400.0 + 500.0 * fl.next(0.5);
            let bw1 = 500.0 + 600.0 * bl.next(0.3);
            let sets = [[(730.0, 80.0), (1090.0, 90.0), (2440.0, 120.0)], [(570.0, bw1), (f2, 5.0), (12000.0, 90.0)]];
            sets.iter()
                .zip(f.iter_mut())
                .map(|(set, fs)| {
                    let tops = [5000.0, 5000.0, 10_000.0];
                    let sum: f64 = (0..3)
                        .map(|i| {
                            let fc = f64::clamp(set[i].0, 50.0, tops[i]);
                            let bw = f64::clamp(set[i].1, 10.0, 1000.0);
                            let damp = 1.0 / (fc / bw).max(0.5);
                            let k = 2.0 * math::sin(fc * (PI / SR));
                            fs[i].next(x, k, damp)
                        })
                        .sum();
                    sum * 0.5
                })
                .collect()
        });
    }

    vocoder {
        // A saw carrier shaped by a noise-and-sine modulator, with 8 bands and with 40
        // (clamped to 32).
        let mut input = Input::default();
        let (mut c, mut n) = (Phase::default(), Noise::at("~m/noise#0"));
        let mut st: Vec<(Vec<Svf>, Vec<Svf>, Vec<f64>)> = [8usize, 32]
            .iter()
            .map(|&b| (vec![Svf::default(); b], vec![Svf::default(); b], vec![0.0; b]))
            .collect();
        let src = format!("{INPUT}~c: saw 55\n~m: ~in * noise\nout: [vocoder ~m ~c 8, vocoder ~m ~c 40]");
        check(&src, FRAMES, TOL, || {
            let m = input.next() * n.next();
            let carrier = 2.0 * c.next(55.0) - 1.0;
            st.iter_mut()
                .map(|(ms, cs, env)| {
                    let nb = ms.len();
                    let mut y = 0.0;
                    for i in 0..nb {
                        let fc = 100.0 * 100f64.powf(i as f64 / nb as f64);
                        let k = 2.0 * (PI * fc / SR).sin();
                        let mb = ms[i].next(m, k, 0.5);
                        let cb = cs[i].next(carrier, k, 0.5);
                        let level = mb.abs();
                        let kk = if level > env[i] { 0.01 } else { 0.1 };
                        env[i] += (level - env[i]) * kk;
                        y += cb * env[i];
                    }
                    y * (1.0 / (nb as f64).sqrt())
                })
                .collect()
        });
    }

    pitch_shift {
        // An octave up, a fifth down, and a shift swept through both directions.
        let (mut input, mut sl) = (Input::default(), Sine::default());
        let w = (0.05 * SR).round();
        let mut taps: Vec<(Tap, Tap, f64)> =
            (0..3).map(|_| (Tap::jumping(w as usize), Tap::jumping(w as usize), 0.0)).collect();
        let src = format!("{INPUT}out: [pitch_shift ~in 12, ~in # pitch_shift (-7), pitch_shift ~in (10 * sine 0.5)]");
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let semis = [12.0, -7.0, 10.0 * sl.next(0.5)];
            taps.iter_mut()
                .zip(semis)
                .map(|((a, b, phi), st)| {
                    let r = 2f64.powf(st * (1.0 / 12.0));
                    let s = *phi + (1.0 - r) * (1.0 / w);
                    *phi = s - s.floor();
                    let s2 = *phi + 0.5;
                    let phi2 = s2 - s2.floor();
                    let sp = math::sin_turns(*phi * 0.5);
                    let g = sp * sp;
                    g * a.next(x, *phi * w) + (1.0 - g) * b.next(x, phi2 * w)
                })
                .collect()
        });
    }

    wavetable {
        let (mut lfo, mut a, mut b) = (Sine::default(), Sine::default(), Sine::default());
        check("out: [wavetable (300 + 200 * sine 0.7), wavetable 440]", FRAMES, TOL, || {
            let f = 300.0 + 200.0 * lfo.next(0.7);
            vec![a.next(f), b.next(440.0)]
        });
    }

    moog_ladder {
        // A swept cutoff at high resonance (self-oscillating near 1), a moving resonance,
        // and constant settings; out-of-range values are clamped.
        let (mut input, mut lfo, mut rl) = (Input::default(), Sine::default(), Sine::default());
        let mut m: [Moog; 3] = Default::default();
        let src = format!(
            "{INPUT}out: [~in # moog_ladder (1200 + 1100 * sine 0.5) 0.95, \
             moog_ladder ~in 800 (0.6 + 0.6 * sine 0.3), moog_ladder (~in * 0.5) 30000 (-1)]"
        );
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let fc = 1200.0 + 1100.0 * lfo.next(0.5);
            let r = 0.6 + 0.6 * rl.next(0.3);
            vec![m[0].next(x, fc, 0.95), m[1].next(x, 800.0, r), m[2].next(x * 0.5, 30000.0, -1.0)]
        });
    }

    rlpf {
        rbj_like("rlpf", Kind::Low, 0.1, 20.0);
    }

    rhpf {
        rbj_like("rhpf", Kind::High, 0.1, 20.0);
    }

    resonz {
        rbj_like("resonz", Kind::Band, 0.5, 100.0);
    }

    parametric_eq {
        let (mut input, mut lfo) = (Input::default(), Sine::default());
        let mut f: [[Df1; 3]; 2] = Default::default();
        let src = format!(
            "{INPUT}out: [parametric_eq ~in 100 6 0.7 (1000 + 500 * sine 0.5) (-9) 2 8000 30 0.01, \
             ~in # parametric_eq 200 (12 * sine 0.5) 1 1500 0 1 6000 (-4) 0.7]"
        );
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let l = lfo.next(0.5);
            let a = [(100.0, 6.0, 0.7), (1000.0 + 500.0 * l, -9.0, 2.0), (8000.0, 30.0, 0.01)];
            let b = [(200.0, 12.0 * l, 1.0), (1500.0, 0.0, 1.0), (6000.0, -4.0, 0.7)];
            [a, b]
                .iter()
                .zip(f.iter_mut())
                .map(|(bands, fs)| {
                    bands.iter().zip(fs.iter_mut()).fold(x, |y, (&(fc, g, q), s)| {
                        s.next(y, peaking(fc, g, q))
                    })
                })
                .collect()
        });
    }

    distortion {
        distortion_like("distortion");
    }

    distort {
        distortion_like("distort");
    }

    dist {
        distortion_like("dist");
    }

    bitcrush {
        let (mut input, mut bl) = (Input::default(), Sine::default());
        let mut st = [(1.0f64, 0.0f64); 3];
        let src = format!(
            "{INPUT}out: [bitcrush ~in 4 8, ~in # bitcrush (5 + 4 * sine 0.5) 3.5, bitcrush ~in 12 1]"
        );
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let bits = [4.0, 5.0 + 4.0 * bl.next(0.5), 12.0];
            let rate: [f64; 3] = [8.0, 3.5, 1.0];
            (0..3)
                .map(|i| {
                    let (ph, h) = &mut st[i];
                    let b = bits[i].clamp(1.0, 16.0);
                    let r = rate[i].clamp(1.0, 64.0);
                    let s = *ph + 1.0 / r;
                    if s >= 1.0 {
                        let l = 2f64.powf(b);
                        *h = (x * l + 0.5).floor() / l;
                        *ph = s - s.floor();
                    } else {
                        *ph = s;
                    }
                    *h
                })
                .collect()
        });
    }

    chorus {
        // Phonon's default mix, and a fast deep sweep whose delay time the glide limits.
        let (mut input, mut dl) = (Input::default(), Sine::default());
        let mut lfo = [Phase::default(), Phase::default()];
        let max = (0.026 * SR).ceil() as usize;
        let mut taps = [Tap::new(max), Tap::new(max)];
        let src = format!("{INPUT}out: [chorus ~in 1.5 0.5, ~in # chorus 9 (0.5 + 0.5 * sine 0.2) 0.7]");
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let depth = [0.5, 0.5 + 0.5 * dl.next(0.2)];
            let (rate, mix) = ([1.5, 9.0], [0.3, 0.7]);
            (0..2)
                .map(|i| {
                    let l = math::sin_turns(lfo[i].next(rate[i]));
                    let d = 0.015 + l * depth[i].clamp(0.0, 1.0) * 0.010;
                    let wet = taps[i].next(x, d * SR);
                    x * (1.0 - mix[i]) + wet * mix[i]
                })
                .collect()
        });
    }

    chorus_voices {
        // Five and three voices on one line each; the second's fast deep sweep makes the
        // taps' glides engage. Each tap's model keeps its own copy of the line's history.
        let (mut input, mut dl) = (Input::default(), Sine::default());
        let mut lfo = [Phase::default(), Phase::default()];
        let max = (0.026 * SR).ceil() as usize;
        let voices = [5usize, 3];
        let mut taps: Vec<Vec<Tap>> = voices.iter().map(|&n| (0..n).map(|_| Tap::new(max)).collect()).collect();
        let src = format!(
            "{INPUT}out: [chorus_voices ~in 1.5 0.5 5, ~in # chorus_voices 9 (0.5 + 0.5 * sine 0.2) 3.7 0.7]"
        );
        check(&src, FRAMES, EXACT, || {
            let x = input.next();
            let depth = [0.5, 0.5 + 0.5 * dl.next(0.2)];
            let (rate, mix) = ([1.5, 9.0], [0.3, 0.7]);
            (0..2)
                .map(|i| {
                    let p = lfo[i].next(rate[i]);
                    let (s, c) = (math::sin_turns(p), math::sin_turns(p + 0.25));
                    let n = voices[i];
                    let mut wet = 0.0;
                    for (k, tap) in taps[i].iter_mut().enumerate() {
                        let turn = TAU * k as f64 / n as f64;
                        let l = if k == 0 { s } else { s * turn.cos() + c * turn.sin() };
                        let d = 0.015 + l * depth[i].clamp(0.0, 1.0) * 0.010;
                        let t = tap.next(x, d * SR);
                        wet = if k == 0 { t } else { wet + t };
                    }
                    let wet = wet * (1.0 / n as f64);
                    x * (1.0 - mix[i]) + wet * mix[i]
                })
                .collect()
        });
    }

    flanger {
        let (mut input, mut fl) = (Input::default(), Sine::default());
        let mut lfo = [Phase::default(), Phase::default()];
        let max = (0.006 * SR).ceil() as usize;
        let mut taps = [Tap::new(max), Tap::new(max)];
        let mut w1 = [0.0f64; 2];
        let src = format!("{INPUT}out: [flanger ~in 0.8 0.3 0.7, ~in # flanger 1 2 (0.5 + 0.6 * sine 0.4)]");
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let (depth, rate) = ([0.8, 1.0], [0.3, 2.0]);
            let fb = [0.7, (0.5 + 0.6 * fl.next(0.4)).clamp(0.0, 0.95)];
            (0..2)
                .map(|i| {
                    let l = math::sin_turns(lfo[i].next(rate[i]));
                    let d = 0.003 + l * depth[i] * 0.002;
                    let wet = taps[i].next(x + fb[i] * w1[i], d * SR);
                    w1[i] = wet;
                    let m = depth[i] * 0.5;
                    x * (1.0 - m) + wet * m
                })
                .collect()
        });
    }

    phaser {
        let (mut input, mut fl) = (Input::default(), Sine::default());
        let mut lfo = [LfoAfter::default(), LfoAfter::default()];
        let mut z = [vec![(0.0f64, 0.0f64); 4], vec![(0.0, 0.0); 12]];
        let mut last = [0.0f64; 2];
        let src = format!("{INPUT}out: [phaser ~in 0.5 0.8 0.5 4, ~in # phaser 2 1 (0.4 + 0.4 * sine 0.3) 20]");
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let (rate, depth) = ([0.5, 2.0], [0.8, 1.0]);
            let fb = [0.5, 0.4 + 0.4 * fl.next(0.3)];
            (0..2)
                .map(|i| {
                    let l = (lfo[i].next(rate[i]) + 1.0) * 0.5;
                    let fc = 200.0 + 1800.0 * (l * depth[i]);
                    let t = (fc * (PI / SR)).tan();
                    let a = (t - 1.0) / (t + 1.0);
                    let mut s = x + last[i] * fb[i];
                    for (z1, y1) in z[i].iter_mut() {
                        let o = a * s + *z1 - a * *y1;
                        (*z1, *y1) = (s, o);
                        s = o;
                    }
                    last[i] = s;
                    (x + s) * 0.5
                })
                .collect()
        });
    }

    tremolo {
        let (mut input, mut dl) = (Input::default(), Sine::default());
        let mut lfo = [LfoAfter::default(), LfoAfter::default()];
        let src = format!("{INPUT}out: [tremolo ~in 4 0.8, ~in # tremolo 30 (0.5 + 0.7 * sine 0.5)]");
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let depth = [0.8, (0.5 + 0.7 * dl.next(0.5)).clamp(0.0, 1.0)];
            let rate = [4.0, 20.0];
            (0..2)
                .map(|i| {
                    let l = lfo[i].next(rate[i]);
                    x * (1.0 - depth[i] * 0.5 + depth[i] * 0.5 * l)
                })
                .collect()
        });
    }

    vibrato {
        let (mut input, mut dl) = (Input::default(), Sine::default());
        let mut lfo = [LfoAfter::default(), LfoAfter::default()];
        let max = (0.021 * SR).ceil() as usize;
        let mut taps = [Tap::new(max), Tap::new(max)];
        let src = format!("{INPUT}out: [vibrato ~in 5 0.5, ~in # vibrato 6 (1 + 1.5 * sine 0.3)]");
        check(&src, FRAMES, TOL, || {
            let x = input.next();
            let depth = [0.5, (1.0 + 1.5 * dl.next(0.3)).clamp(0.0, 2.0)];
            let rate = [5.0, 6.0];
            (0..2)
                .map(|i| {
                    let l = lfo[i].next(rate[i]);
                    taps[i].next(x, depth[i] * 0.005 * (1.0 + l) * SR)
                })
                .collect()
        });
    }

    ring_mod {
        let (mut input, mut s) = (Input::default(), Sine::default());
        check(&format!("{INPUT}out: ring_mod ~in (sine 30)"), FRAMES, TOL, || {
            vec![input.next() * s.next(30.0)]
        });
    }

    compressor {
        let mut d = Dyn::default();
        let mut env = [0.0f64; 2];
        let src = format!(
            "{DYN}out: [compressor (~in * ~env) (-20) 4 0.01 0.1 6, \
             compressor (~in * ~env) (-12 * ~env) 30 0 5 (-3)]"
        );
        check(&src, FRAMES, TOL, || {
            let (x, e) = d.next();
            let x = x * e;
            let set = [(-20.0, 4.0, 0.01, 0.1, 6.0), (-12.0 * e, 30.0, 0.0, 5.0, -3.0)];
            set.iter()
                .zip(env.iter_mut())
                .map(|(&(thr, ratio, att, rel, mk), env)| {
                    let thr = f64::clamp(thr, -60.0, 0.0);
                    let ratio = f64::clamp(ratio, 1.0, 20.0);
                    let att = f64::clamp(att, 0.001, 1.0);
                    let rel = f64::clamp(rel, 0.01, 3.0);
                    let mk = f64::clamp(mk, 0.0, 30.0);
                    let level = x.abs();
                    let c = if level > *env {
                        (-1.0 / (att * SR)).exp()
                    } else {
                        (-1.0 / (rel * SR)).exp()
                    };
                    *env = c * *env + (1.0 - c) * level;
                    let t = 10f64.powf(thr * (1.0 / 20.0));
                    let g = if *env > t { (t / *env).powf(1.0 - 1.0 / ratio) } else { 1.0 };
                    x * g * 10f64.powf(mk * (1.0 / 20.0))
                })
                .collect()
        });
    }

    expander {
        let mut d = Dyn::default();
        let mut env = [0.0f64; 2];
        let src = format!(
            "{DYN}out: [expander (~in * ~env) (-20) 2 0.01 0.1, \
             expander (~in * ~env) (-12 * ~env) 30 0 5]"
        );
        check(&src, FRAMES, TOL, || {
            let (x, e) = d.next();
            let x = x * e;
            let set = [(-20.0, 2.0, 0.01, 0.1), (-12.0 * e, 30.0, 0.0, 5.0)];
            set.iter()
                .zip(env.iter_mut())
                .map(|(&(thr, ratio, att, rel), env)| {
                    let thr = f64::clamp(thr, -60.0, 0.0);
                    let ratio = f64::clamp(ratio, 1.0, 10.0);
                    let att = f64::clamp(att, 0.001, 1.0);
                    let rel = f64::clamp(rel, 0.01, 3.0);
                    let level = x.abs();
                    let c = if level > *env {
                        (-1.0 / (att * SR)).exp()
                    } else {
                        (-1.0 / (rel * SR)).exp()
                    };
                    *env = c * *env + (1.0 - c) * level;
                    let t = 10f64.powf(thr * (1.0 / 20.0));
                    // Phonon's form: boost_db = (20·log10 env − thr)·(ratio − 1).
                    let g = if *env > t {
                        10f64.powf((20.0 * env.log10() - thr) * (ratio - 1.0) / 20.0)
                    } else {
                        1.0
                    };
                    x * g
                })
                .collect()
        });
    }

    limiter {
        let mut d = Dyn::default();
        let mut g = [1.0f64; 2];
        let looks = [(0.005 * SR).round() as usize, (0.002 * SR).round() as usize];
        let mut taps = [Tap::new(looks[0]), Tap::new(looks[1])];
        let src = format!("{DYN}out: [limiter (~in * 2) 0.5, limiter (~in * ~env) (0.3 + 0.2 * ~env) 0.002 0.2]");
        check(&src, FRAMES, TOL, || {
            let (x, e) = d.next();
            let xs = [x * 2.0, x * e];
            let set = [(0.5, 0.05), (0.3 + 0.2 * e, 0.2)];
            (0..2)
                .map(|i| {
                    let t = f64::clamp(set[i].0, 0.001, 2.0);
                    let rel = f64::clamp(set[i].1, 0.01, 1.0);
                    let level = xs[i].abs();
                    let target = if level > t { t / level } else { 1.0 };
                    let c = (-1.0 / (rel * SR)).exp();
                    g[i] = if target < g[i] { target } else { c * g[i] + (1.0 - c) * target };
                    taps[i].next(xs[i], looks[i] as f64) * g[i]
                })
                .collect()
        });
    }

    amp_follower {
        let mut d = Dyn::default();
        let w = (0.01 * SR).trunc();
        let mut tap = Tap::new(w as usize);
        let (mut sum, mut env) = (0.0f64, 0.0f64);
        check(&format!("{DYN}out: amp_follower (~in * ~env) 0.005 0.05 0.01"), FRAMES, TOL, || {
            let (x, e) = d.next();
            let x = x * e;
            let old = tap.next(x * x, w);
            sum = (sum + x * x - old).max(0.0);
            let rms = (sum * (1.0 / w)).sqrt();
            let k = if rms > env { follow_k(0.005) } else { follow_k(0.05) };
            env += (rms - env) * k;
            vec![env]
        });
    }

    peak_follower {
        let mut d = Dyn::default();
        let mut env = [0.0f64; 2];
        check(
            &format!("{DYN}out: [peak_follower (~in * ~env) 0.001 0.2, peak_follower ~in (0.01 * ~env) 0]"),
            FRAMES,
            TOL,
            || {
                let (x, e) = d.next();
                let set = [(x * e, 0.001, 0.2), (x, 0.01 * e, 0.0)];
                set.iter()
                    .zip(env.iter_mut())
                    .map(|(&(x, a, r), env)| {
                        let level = x.abs();
                        let k = if level > *env { follow_k(a) } else { follow_k(r) };
                        *env += (level - *env) * k;
                        *env
                    })
                    .collect()
            },
        );
    }

    schmidt {
        // A slow sine with a fast ripple: the thresholds keep the ripple from chattering,
        // so the output flips exactly twice per slow cycle.
        let (mut slow, mut fast) = (Sine::default(), Sine::default());
        let (mut s, mut flips) = (0.0f64, 0);
        check("out: schmidt (sine 3 + 0.2 * sine 411) 0.5 (-0.5)", FRAMES, EXACT, || {
            let x = slow.next(3.0) + 0.2 * fast.next(411.0);
            let next = if s == 1.0 {
                if x < -0.5 { 0.0 } else { 1.0 }
            } else if x > 0.5 {
                1.0
            } else {
                0.0
            };
            flips += (next != s) as usize;
            s = next;
            vec![s]
        });
        assert_eq!(flips, 6, "three cycles, two flips each");
    }

    latch {
        let mut d = Dyn::default();
        let mut gate = Phase::default();
        let (mut g1, mut h) = (0.0f64, 0.0f64);
        check(&format!("{DYN}out: latch ~in (phasor 7)"), FRAMES, EXACT, || {
            let (x, _) = d.next();
            let g = gate.next(7.0);
            if g1 < 0.5 && g >= 0.5 {
                h = x;
            }
            g1 = g;
            vec![h]
        });
    }

    sample_hold {
        let mut d = Dyn::default();
        let mut trig = Sine::default();
        let (mut t1, mut h) = (0.0f64, 0.0f64);
        check(&format!("{DYN}out: sample_hold ~in (sine 5)"), FRAMES, EXACT, || {
            let (x, _) = d.next();
            let t = trig.next(5.0);
            if t1 <= 0.0 && t > 0.0 {
                h = x;
            }
            t1 = t;
            vec![h]
        });
    }
}

/// `rlpf`, `rhpf`, `resonz`: an RBJ biquad with Phonon's clamps, swept past them.
fn rbj_like(name: &str, kind: Kind, qlo: f64, qhi: f64) {
    let src = format!(
        "{INPUT}~fc: 12000 + 11000 * sine 0.5\n~q: 10 + 12 * sine 0.31\n\
         out: [~in # {name} ~fc ~q, {name} ~in 800 0.9]"
    );
    let (mut input, mut lfo, mut ql) = (Input::default(), Sine::default(), Sine::default());
    let mut f: [Biquad; 2] = Default::default();
    check(&src, FRAMES, TOL, || {
        let x = input.next();
        let fc = (12000.0 + 11000.0 * lfo.next(0.5)).clamp(10.0, 0.45 * SR);
        let q = (10.0 + 12.0 * ql.next(0.31)).clamp(qlo, qhi);
        vec![
            f[0].next(kind, x, fc, q),
            f[1].next(kind, x, 800.0, 0.9f64.clamp(qlo, qhi)),
        ]
    });
}

/// `distortion`, `distort` and `dist`: drive swept through its clamp, Phonon's default mix.
fn distortion_like(name: &str) {
    let src = format!(
        "{INPUT}out: [{name} ~in (20 + 30 * sine 0.5), ~in # {name} 3 (0.5 + 0.7 * sine 0.7)]"
    );
    let (mut input, mut dl, mut ml) = (Input::default(), Sine::default(), Sine::default());
    let dist = |x: f64, d: f64, m: f64| {
        let (d, m) = (d.clamp(1.0, 100.0), m.clamp(0.0, 1.0));
        x * (1.0 - m) + (x * d).tanh() * m
    };
    check(&src, FRAMES, TOL, || {
        let x = input.next();
        let d = 20.0 + 30.0 * dl.next(0.5);
        let m = 0.5 + 0.7 * ml.next(0.7);
        vec![dist(x, d, 0.5), dist(x, 3.0, m)]
    });
}

/// `pitch_shift` moves a sine's pitch: zero crossings per second of a 220 Hz sine shifted
/// up an octave and down an octave (the crossfades add a few).
#[test]
fn pitch_shift_moves_pitch() {
    for (semis, want) in [(12.0, 440.0), (-12.0, 110.0), (0.0, 220.0)] {
        let out = rendered(&format!("out: pitch_shift (sine 220) ({semis})"), FRAMES);
        let tail = &out[FRAMES / 10..];
        let crossings = tail
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count();
        let hz = crossings as f64 / 2.0 / (tail.len() as f64 / SR);
        // The splices every half sweep add a few crossings: 10%, where a wrong octave is 50%.
        assert!(
            (hz - want).abs() < want * 0.1,
            "{semis} semitones: {hz} Hz, want {want}"
        );
    }
}

/// `text` compiled, or the test fails with its diagnostics.
fn compiled(text: &str) -> (kanon_compiler::Program, kanon_lang::Source) {
    let src = kanon_lang::Source::new("t.kn", text);
    match kanon_compiler::compile(&src, kanon_compiler::Options::default()) {
        Ok(p) => (p, src),
        Err(d) => panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()),
    }
}

/// What compiling `text` says (it must fail), rendered.
fn refused(text: &str) -> String {
    let src = kanon_lang::Source::new("t.kn", text);
    match kanon_compiler::compile(&src, kanon_compiler::Options::default()) {
        Ok(_) => panic!("{text}: compiled"),
        Err(d) => d.iter().map(|d| d.render(&src)).collect(),
    }
}

/// `frames` of `text` rendered in blocks of 512.
fn rendered(text: &str, frames: usize) -> Vec<f32> {
    kanon_runtime::render(&compiled(text).0, frames, 512)
}

/// Phonon's `chorus` reads three settings and drops a fourth its examples pass
/// (`# chorus 3 0.8 0.2 0.5`): kanonc plays that as the three-setting call, with a
/// warning at the dropped argument, and refuses a fifth.
#[test]
fn chorus_drops_phonons_ignored_fourth_setting_with_a_warning() {
    let warnings = |text: &str| {
        let (p, src) = compiled(text);
        p.warnings
            .iter()
            .map(|d| d.render(&src))
            .collect::<String>()
    };
    let quiet = warnings("out: saw 110 # chorus 3 0.8 0.2");
    let warned = warnings("out: saw 110 # chorus 3 0.8 0.2 0.5");
    assert!(quiet.is_empty(), "{quiet}");
    assert!(
        warned.contains("Phonon ignores the one after them") && warned.contains("t.kn:1:33"),
        "{warned}"
    );
    assert_eq!(
        rendered("out: saw 110 # chorus 3 0.8 0.2", 4000),
        rendered("out: saw 110 # chorus 3 0.8 0.2 0.5", 4000)
    );
    let shown = refused("out: saw 110 # chorus 3 0.8 0.2 0.5 0.1");
    assert!(
        shown.contains("`chorus` takes 3 to 4 arguments, but 6 were given"),
        "{shown}"
    );
}

/// Arguments that size a builtin's state (voices, bands, stages, look-ahead, window) must
/// be constants: a signal there is an error at the call, not a panic or a silent default.
#[test]
fn sizing_arguments_must_be_constant() {
    for (call, what) in [
        ("supersaw 110 0.3 ~v", "the number of voices of `supersaw`"),
        ("limiter ~v 0.5 ~v", "the attack (look-ahead) of `limiter`"),
        ("amp_follower ~v 0.1 0.1 ~v", "the window of `amp_follower`"),
        ("phaser ~v 1 1 0.5 ~v", "the number of stages of `phaser`"),
        (
            "chorus_voices ~v 1 1 ~v",
            "the number of voices of `chorus_voices`",
        ),
        ("vocoder ~v ~v ~v", "the number of bands of `vocoder`"),
    ] {
        let shown = refused(&format!("~v: sine 1\nout: {call}"));
        assert!(
            shown.contains(&format!("error: {what} must be a constant"))
                && shown.contains("t.kn:2:6"),
            "{call}:\n{shown}"
        );
    }
}

/// One voice of `chorus_voices` is `chorus`, sample for sample: the same line, LFO and
/// keys, with no sum or scaling added.
#[test]
fn one_chorus_voice_is_chorus() {
    // Several taps of one buffer pass the IR's invariants (checked here, as release
    // builds skip them): one owner, the same input and position for every tap.
    let (p, _) = compiled("out: saw 110 # chorus_voices 9 0.5 4");
    assert_eq!(p.ir.buffers.len(), 1);
    kanon_compiler::ir::validate::validate(&p.ir).unwrap();
    let one = rendered(
        "out: saw 110 # chorus_voices 9 (0.5 + 0.5 * sine 0.2) 1 0.7",
        20_000,
    );
    let chorus = rendered("out: saw 110 # chorus 9 (0.5 + 0.5 * sine 0.2) 0.7", 20_000);
    let three = rendered(
        "out: saw 110 # chorus_voices 9 (0.5 + 0.5 * sine 0.2) 3 0.7",
        20_000,
    );
    assert!(one
        .iter()
        .zip(&chorus)
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    assert!(one
        .iter()
        .zip(&three)
        .any(|(a, b)| a.to_bits() != b.to_bits()));
}
