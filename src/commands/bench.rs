//! `kanonc bench`: rendering speed of a program.

use super::compile;
use std::path::Path;
use std::time::{Duration, Instant};

pub fn run(file: &Path, seconds: f64, runs: usize, block: usize, sr: u32) -> Result<(), String> {
    let (src, program) = compile(file, sr, false)?;
    let frames = (seconds * f64::from(sr)).round().max(1.0) as usize;
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            let out = kanon_runtime::render(&program, frames, block.max(1));
            let took = t.elapsed();
            std::hint::black_box(out);
            took
        })
        .collect();
    times.sort();
    let median = times[times.len() / 2];
    let ns = median.as_secs_f64() * 1e9 / frames as f64;
    println!(
        "{}: {:.2} ns/frame, {:.0}x realtime ({} runs of {seconds} s at {sr} Hz in blocks of {block}; median {:.1} ms, min {:.1} ms)",
        src.name,
        ns,
        frames as f64 / f64::from(sr) / median.as_secs_f64(),
        times.len(),
        median.as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
    Ok(())
}
