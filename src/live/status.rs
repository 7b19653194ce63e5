//! The status line and the end-of-run summary: callback load and block-time percentiles
//! from the engine's block times, xruns, swaps, compile time, peak level.

use kanon_runtime::engine::BlockTime;
use std::collections::VecDeque;

/// Block-time window for the status line and the whole-run summary.
pub struct Timing {
    sr: f64,
    window: VecDeque<BlockTime>,
    all: Vec<u32>,
    busy_ns: u128,
    audio_ns: f64,
}

impl Timing {
    /// An empty window at sample rate `sr`.
    pub fn new(sr: f64) -> Timing {
        Timing {
            sr,
            window: VecDeque::new(),
            all: Vec::new(),
            busy_ns: 0,
            audio_ns: 0.0,
        }
    }

    /// Over the whole run: (mean load, p50, p95, p99, max µs).
    pub fn overall(&mut self) -> (f64, f64, f64, f64, f64) {
        let (p50, p95, p99) = percentiles(&mut self.all);
        let max_us = self.all.last().map_or(0.0, |&n| f64::from(n) / 1e3);
        let load = if self.audio_ns > 0.0 {
            self.busy_ns as f64 / self.audio_ns
        } else {
            0.0
        };
        (load, p50, p95, p99, max_us)
    }
}

impl Timing {
    /// Adds one block's time.
    pub fn add(&mut self, t: BlockTime) {
        if self.window.len() == 2048 {
            self.window.pop_front();
        }
        self.window.push_back(t);
        self.all.push(t.nanos);
        self.busy_ns += u128::from(t.nanos);
        self.audio_ns += f64::from(t.frames) / self.sr * 1e9;
    }

    /// (load, p50, p95, p99 in µs) over the last blocks.
    pub fn recent(&self) -> (f64, f64, f64, f64) {
        let mut v: Vec<u32> = self.window.iter().map(|t| t.nanos).collect();
        let busy: f64 = v.iter().map(|&n| f64::from(n)).sum();
        let audio: f64 = self
            .window
            .iter()
            .map(|t| f64::from(t.frames) / self.sr * 1e9)
            .sum();
        let (a, b, c) = percentiles(&mut v);
        (if audio > 0.0 { busy / audio } else { 0.0 }, a, b, c)
    }
}

/// p50, p95, p99 in µs.
pub fn percentiles(v: &mut [u32]) -> (f64, f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    v.sort_unstable();
    let q = |p: f64| f64::from(v[((v.len() - 1) as f64 * p).round() as usize]) / 1e3;
    (q(0.5), q(0.95), q(0.99))
}

pub fn db(x: f32) -> String {
    if x > 0.0 {
        format!("{:+.1} dBFS", 20.0 * x.log10())
    } else {
        "-inf dBFS".into()
    }
}
