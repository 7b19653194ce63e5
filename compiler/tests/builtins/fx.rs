//! The noise colours, instruments and effects (`noise.rs`, `instruments.rs`,
//! `effects.rs`) against plain-Rust transcriptions of their documented formulas, with the
//! helpers of `builtins.rs`.

use super::{check, Input, Phase, Sine, EXACT, FRAMES, INPUT, SR, TOL};
use kanon_compiler::builtins::MAX_GLIDE;
use kanon_compiler::ir::math;
use std::f64::consts::TAU;

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
}

impl Tap {
    /// A line built for `max_samples` (the buffer is a power of two ≥ max + 2).
    fn new(max_samples: usize) -> Tap {
        Tap {
            hist: Vec::new(),
            time: None,
            len: (max_samples + 2).max(4).next_power_of_two(),
        }
    }

    /// Writes `x`, then reads `samples` behind it (clamped, gliding, interpolated).
    fn next(&mut self, x: f64, samples: f64) -> f64 {
        self.hist.push(x);
        let n = self.hist.len() as i64 - 1;
        let target = samples.clamp(0.0, (self.len - 2) as f64);
        let d = match self.time {
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

    fn next(&mut self, freq: f64, damping: f64, trig: f64) -> f64 {
        let n = SR / freq.clamp(20.0, 10_000.0);
        let high = if trig > 0.5 { 1.0 } else { 0.0 };
        let edge = high > self.was;
        self.was = high;
        let l = if edge { n } else { self.left };
        self.left = (l - 1.0).max(0.0);
        let w = self.noise.next();
        let x = if l > 0.0 { w } else { 0.0 };
        let g = 0.9995 - damping.clamp(0.0, 1.0) * 0.001;
        let a = self.tap.next(self.y1, n - 1.5);
        let y = x + g * ((a + self.a1) * 0.5);
        self.a1 = a;
        self.y1 = y;
        y
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
        let pulse = |p: f64, f: f64, w: f64| {
            let dt = f.abs() / SR;
            let w = w.clamp(0.0, 1.0);
            let naive = if p < w { 1.0 } else { -1.0 };
            let t = p - w + 1.0;
            naive + blep(p, dt) - blep(t - t.floor(), dt)
        };
        check(
            "out: [pulse (200 + 150 * sine 0.5) (0.5 + 0.4 * sine 1.1), pulse 440, pulse 1000 0.1]",
            FRAMES,
            TOL,
            || {
                let f = 200.0 + 150.0 * lfo.next(0.5);
                let w = 0.5 + 0.4 * wl.next(1.1);
                vec![
                    pulse(p[0].next(f), f, w),
                    pulse(p[1].next(440.0), 440.0, 0.5),
                    pulse(p[2].next(1000.0), 1000.0, 0.1),
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
}
