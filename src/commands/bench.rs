//! `kanonc bench`: rendering speed of a program.

use super::compile;
use kanon_compiler::Block;
use std::path::Path;
use std::time::{Duration, Instant};

/// Renders `seconds` of the program `runs` times from its initial state and reports the
/// median time. Only the block calls are timed: the state block and the output buffer
/// are allocated and written once beforehand, as on the audio thread.
pub fn run(file: &Path, seconds: f64, runs: usize, block: usize, sr: u32) -> Result<(), String> {
    let (src, program) = compile(file, sr, false)?;
    let frames = (seconds * f64::from(sr)).round().max(1.0) as usize;
    let ch = program.channels().max(1);
    let mut out = vec![0f32; frames * program.channels()];
    let initial = program.initial_state();
    let mut state = initial.clone();
    let _ftz = kanon_runtime::denormal::FlushDenormals::new();
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            state.copy_from_slice(&initial);
            let t = Instant::now();
            for (i, chunk) in out.chunks_mut(block.max(1) * ch).enumerate() {
                let frame = (i * block.max(1)) as u64;
                program.process(Block::new(&mut state, chunk).at(frame));
            }
            let took = t.elapsed();
            std::hint::black_box(&mut out);
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
