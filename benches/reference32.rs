//! The workloads of `reference.rs` transcribed to f32: the same loops with f32 state,
//! f32 arithmetic and `f32::sin`, as a Rust programmer who chose single precision would
//! write them. Only `benches/workloads.rs` uses it (as a speed peer; its error against the
//! f64 reference is reported next to its speed).

use std::f32::consts::TAU;

/// Sample rate of every workload.
const SR: f32 = 48_000.0;

/// The canonical phasor in f32: `phi[0] = 0`, `phi[n+1] = frac(phi[n] + f/sr)`.
#[derive(Clone, Copy)]
pub struct Phasor {
    phase: f32,
    inc: f32,
}

impl Phasor {
    /// A phasor at `freq` Hz, starting at 0.
    pub fn new(freq: f32) -> Self {
        Phasor {
            phase: 0.0,
            inc: freq / SR,
        }
    }

    /// The phase for this frame (before the advance), then advance.
    #[inline(always)]
    pub fn next(&mut self) -> f32 {
        let p = self.phase;
        let q = p + self.inc;
        self.phase = q - q.floor();
        p
    }
}

/// One workload's f32 implementation, in its state at some frame.
pub enum Reference32 {
    Sine440(Phasor),
    Bank(Vec<Phasor>),
    Fm {
        carrier: Phasor,
        modulator: Phasor,
    },
    SawLpf {
        saw: Phasor,
        lfo: Phasor,
        /// x[n−1], x[n−2], y[n−1], y[n−2].
        mem: [f32; 4],
    },
    FbDelay {
        osc: Phasor,
        ring: Vec<f32>,
        pos: usize,
    },
    Lorenz([f32; 3]),
    Vdp([f32; 2]),
    Voices {
        saws: Vec<Phasor>,
        lps: Vec<f32>,
    },
}

impl Reference32 {
    /// The named workload at frame 0.
    pub fn new(name: &str) -> Self {
        let bank = |n: usize| {
            Reference32::Bank((0..n).map(|i| Phasor::new(55.0 * (i + 1) as f32)).collect())
        };
        match name {
            "sine440" => Reference32::Sine440(Phasor::new(440.0)),
            "bank100" => bank(100),
            "bank1000" => bank(1000),
            "fm" => Reference32::Fm {
                carrier: Phasor::new(110.0),
                modulator: Phasor::new(110.0 * 1.618),
            },
            "sawlpf" => Reference32::SawLpf {
                saw: Phasor::new(110.0),
                lfo: Phasor::new(0.25),
                mem: [0.0; 4],
            },
            "fbdelay" => Reference32::FbDelay {
                osc: Phasor::new(220.0),
                ring: vec![0.0; 4800],
                pos: 0,
            },
            "lorenz" => Reference32::Lorenz([0.1; 3]),
            "vdp" => Reference32::Vdp([0.1; 2]),
            "voices500" => Reference32::Voices {
                saws: (0..500)
                    .map(|i| Phasor::new(55.0 + 1.1 * i as f32))
                    .collect(),
                lps: vec![0.0; 500],
            },
            _ => panic!("no workload named {name}"),
        }
    }

    /// Renders `out.len()` mono frames, advancing the state.
    #[inline(always)]
    pub fn render(&mut self, out: &mut [f32]) {
        match self {
            Reference32::Sine440(osc) => {
                for y in out {
                    *y = 0.5 * (TAU * osc.next()).sin();
                }
            }
            Reference32::Bank(oscs) => {
                for y in out {
                    let mut sum = 0.0;
                    for osc in oscs.iter_mut() {
                        sum += 0.01 * (TAU * osc.next()).sin();
                    }
                    *y = sum;
                }
            }
            Reference32::Fm { carrier, modulator } => {
                for y in out {
                    let m = (TAU * modulator.next()).sin();
                    *y = 0.5 * (TAU * carrier.next() + 2.5 * m).sin();
                }
            }
            Reference32::SawLpf { saw, lfo, mem } => {
                const Q: f32 = 0.8;
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
                    *y = 0.5 * out;
                }
                *mem = [x1, x2, y1, y2];
            }
            Reference32::FbDelay { osc, ring, pos } => {
                for y in out {
                    let x = 0.3 * (TAU * osc.next()).sin();
                    let v = x + 0.5 * ring[*pos];
                    ring[*pos] = v;
                    *pos += 1;
                    if *pos == ring.len() {
                        *pos = 0;
                    }
                    *y = v;
                }
            }
            Reference32::Lorenz(s) => {
                const SIGMA: f32 = 10.0;
                const RHO: f32 = 28.0;
                const BETA: f32 = 8.0 / 3.0;
                const DT: f32 = 0.005;
                let [mut x, mut y, mut z] = *s;
                for o in out {
                    *o = 0.05 * x;
                    (x, y, z) = (
                        x + SIGMA * (y - x) * DT,
                        y + (x * (RHO - z) - y) * DT,
                        z + (x * y - BETA * z) * DT,
                    );
                }
                *s = [x, y, z];
            }
            Reference32::Vdp(s) => {
                const MU: f32 = 1.5;
                const DT: f32 = 0.05;
                let [mut x, mut y] = *s;
                for o in out {
                    *o = 0.4 * x;
                    (x, y) = (x + DT * y, y + DT * (MU * (1.0 - x * x) * y - x));
                }
                *s = [x, y];
            }
            Reference32::Voices { saws, lps } => {
                for y in out {
                    let mut sum = 0.0;
                    for (saw, lp) in saws.iter_mut().zip(lps.iter_mut()) {
                        let x = 2.0 * saw.next() - 1.0;
                        *lp += 0.05 * (x - *lp);
                        sum += *lp;
                    }
                    *y = 0.002 * sum;
                }
            }
        }
    }
}
