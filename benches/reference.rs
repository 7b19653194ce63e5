//! Plain-Rust reference implementations of the nine benchmark workloads
//! (`/work/shared/workloads.md`, and `benches/workloads/*.kn` for kanonc's spelling).
//!
//! Each one is the loop a Rust programmer would write by hand: state in f64, `f64::sin`
//! and friends, output rounded to f32 once. They render into a caller's buffer block by
//! block, so the benchmark can drive them exactly as it drives kanonc's block function.
//! Shared by `tests/workloads.rs` (correctness) and `benches/workloads.rs` (speed).

// Each includer uses a different part of this module.
#![allow(dead_code)]

use std::f64::consts::TAU;

/// Sample rate of every workload.
pub const SR: f64 = 48_000.0;

/// Frames compared against the reference: the first second, or the first 1000 samples
/// for the chaotic systems (any change in the order of operations makes them diverge).
pub fn compare_frames(name: &str) -> usize {
    match name {
        "lorenz" | "vdp" => 1000,
        _ => 48_000,
    }
}

/// The workloads, in the order they are reported.
pub const NAMES: [&str; 9] = [
    "sine440",
    "bank100",
    "bank1000",
    "fm",
    "sawlpf",
    "fbdelay",
    "lorenz",
    "vdp",
    "voices500",
];

/// The canonical phasor: `phi[0] = 0`, `phi[n+1] = frac(phi[n] + f/sr)`.
#[derive(Clone, Copy)]
pub struct Phasor {
    phase: f64,
    inc: f64,
}

impl Phasor {
    /// A phasor at `freq` Hz, starting at 0.
    pub fn new(freq: f64) -> Self {
        Phasor {
            phase: 0.0,
            inc: freq / SR,
        }
    }

    /// The phase for this frame (before the advance), then advance.
    #[inline(always)]
    pub fn next(&mut self) -> f64 {
        let p = self.phase;
        let q = p + self.inc;
        self.phase = q - q.floor();
        p
    }
}

/// One workload's reference implementation, in its state at some frame.
pub enum Reference {
    Sine440(Phasor),
    /// Oscillator banks: one phasor per partial, amplitude 0.01 each.
    Bank(Vec<Phasor>),
    Fm {
        carrier: Phasor,
        modulator: Phasor,
    },
    SawLpf {
        saw: Phasor,
        lfo: Phasor,
        /// x[n−1], x[n−2], y[n−1], y[n−2].
        mem: [f64; 4],
    },
    FbDelay {
        osc: Phasor,
        /// y[n − 4800 .. n − 1] as a ring; `pos` holds y[n − 4800].
        ring: Vec<f64>,
        pos: usize,
    },
    Lorenz([f64; 3]),
    Vdp([f64; 2]),
    Voices {
        saws: Vec<Phasor>,
        lps: Vec<f64>,
    },
}

impl Reference {
    /// The named workload at frame 0.
    pub fn new(name: &str) -> Self {
        match name {
            "sine440" => Reference::Sine440(Phasor::new(440.0)),
            "bank100" => Reference::bank(100),
            "bank1000" => Reference::bank(1000),
            "fm" => Reference::Fm {
                carrier: Phasor::new(110.0),
                modulator: Phasor::new(110.0 * 1.618),
            },
            "sawlpf" => Reference::SawLpf {
                saw: Phasor::new(110.0),
                lfo: Phasor::new(0.25),
                mem: [0.0; 4],
            },
            "fbdelay" => Reference::FbDelay {
                osc: Phasor::new(220.0),
                ring: vec![0.0; 4800],
                pos: 0,
            },
            "lorenz" => Reference::Lorenz([0.1; 3]),
            "vdp" => Reference::Vdp([0.1; 2]),
            "voices500" => Reference::Voices {
                saws: (0..500)
                    .map(|i| Phasor::new(55.0 + 1.1 * i as f64))
                    .collect(),
                lps: vec![0.0; 500],
            },
            _ => panic!("no workload named {name}"),
        }
    }

    fn bank(n: usize) -> Self {
        Reference::Bank((0..n).map(|i| Phasor::new(55.0 * (i + 1) as f64)).collect())
    }

    /// Renders `out.len()` mono frames, advancing the state.
    #[inline(always)]
    pub fn render(&mut self, out: &mut [f32]) {
        match self {
            Reference::Sine440(osc) => {
                for y in out {
                    *y = (0.5 * (TAU * osc.next()).sin()) as f32;
                }
            }
            Reference::Bank(oscs) => {
                for y in out {
                    let mut sum = 0.0;
                    for osc in oscs.iter_mut() {
                        sum += 0.01 * (TAU * osc.next()).sin();
                    }
                    *y = sum as f32;
                }
            }
            Reference::Fm { carrier, modulator } => {
                for y in out {
                    let m = (TAU * modulator.next()).sin();
                    *y = (0.5 * (TAU * carrier.next() + 2.5 * m).sin()) as f32;
                }
            }
            Reference::SawLpf { saw, lfo, mem } => {
                const Q: f64 = 0.8;
                let [mut x1, mut x2, mut y1, mut y2] = *mem;
                for y in out {
                    let x = 2.0 * saw.next() - 1.0;
                    let fc = 1500.0 + 1000.0 * (TAU * lfo.next()).sin();
                    let w = TAU * fc / SR;
                    let (sin_w, cos_w) = (w.sin(), w.cos());
                    let alpha = sin_w / (2.0 * Q);
                    let a0 = 1.0 + alpha;
                    let b0 = (1.0 - cos_w) / 2.0 / a0;
                    let b1 = (1.0 - cos_w) / a0;
                    let b2 = b0;
                    let a1 = -2.0 * cos_w / a0;
                    let a2 = (1.0 - alpha) / a0;
                    let out = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
                    (x2, x1, y2, y1) = (x1, x, y1, out);
                    *y = (0.5 * out) as f32;
                }
                *mem = [x1, x2, y1, y2];
            }
            Reference::FbDelay { osc, ring, pos } => {
                for y in out {
                    let x = 0.3 * (TAU * osc.next()).sin();
                    let v = x + 0.5 * ring[*pos];
                    ring[*pos] = v;
                    *pos += 1;
                    if *pos == ring.len() {
                        *pos = 0;
                    }
                    *y = v as f32;
                }
            }
            Reference::Lorenz(s) => {
                const SIGMA: f64 = 10.0;
                const RHO: f64 = 28.0;
                const BETA: f64 = 8.0 / 3.0;
                const DT: f64 = 0.005;
                let [mut x, mut y, mut z] = *s;
                for o in out {
                    *o = (0.05 * x) as f32;
                    (x, y, z) = (
                        x + SIGMA * (y - x) * DT,
                        y + (x * (RHO - z) - y) * DT,
                        z + (x * y - BETA * z) * DT,
                    );
                }
                *s = [x, y, z];
            }
            Reference::Vdp(s) => {
                const MU: f64 = 1.5;
                const DT: f64 = 0.05;
                let [mut x, mut y] = *s;
                for o in out {
                    *o = (0.4 * x) as f32;
                    (x, y) = (x + DT * y, y + DT * (MU * (1.0 - x * x) * y - x));
                }
                *s = [x, y];
            }
            Reference::Voices { saws, lps } => {
                for y in out {
                    let mut sum = 0.0;
                    for (saw, lp) in saws.iter_mut().zip(lps.iter_mut()) {
                        let x = 2.0 * saw.next() - 1.0;
                        *lp += 0.05 * (x - *lp);
                        sum += *lp;
                    }
                    *y = (0.002 * sum) as f32;
                }
            }
        }
    }
}

/// Renders `frames` frames of a fresh reference in blocks of `block`.
pub fn render(name: &str, frames: usize, block: usize) -> Vec<f32> {
    let mut r = Reference::new(name);
    let mut out = vec![0.0; frames];
    for chunk in out.chunks_mut(block) {
        r.render(chunk);
    }
    out
}

/// The `.kn` source of a workload.
pub fn source(name: &str) -> String {
    let path = format!("{}/benches/workloads/{name}.kn", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Largest absolute difference over the first `n` frames.
pub fn max_abs_diff(a: &[f32], b: &[f32], n: usize) -> f64 {
    a[..n]
        .iter()
        .zip(&b[..n])
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).abs())
        .fold(0.0, f64::max)
}
