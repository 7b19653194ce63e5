//! Offline rendering through the live engine's own [`AudioProcessor`], block by block as
//! the audio callback runs it, so a render is what the live engine plays — including
//! scripted swaps at exact frames (`kanonc render a.kn --then b.kn@1.5`).

use crate::denormal::FlushDenormals;
use crate::engine::{engine, Committed, Config};
use kanon_compiler::{Block, Program};

/// Longest an offline render waits for its sounds to load.
pub const SAMPLE_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Renders `frames` frames of interleaved output in blocks of `block` frames, from the
/// program's initial state: exactly what the program computes (no limiter, no guard).
pub fn render(program: &Program, frames: usize, block: usize) -> Vec<f32> {
    // Offline, every sound is heard: wait for the ones the program names to load.
    program.wait_for_samples(SAMPLE_WAIT);
    let ch = program.channels();
    let mut out = vec![0f32; frames * ch];
    if ch == 0 {
        return out;
    }
    let block = block.max(1);
    let (_handle, mut proc) = engine(program, Config::exact(program.sample_rate(), ch, block));
    for chunk in out.chunks_mut(block * ch) {
        proc.process(chunk);
    }
    out
}

/// Renders `frames` frames from a given state, advancing it (the bare block function,
/// no engine).
pub fn render_from(program: &Program, state: &mut [f64], frames: usize, block: usize) -> Vec<f32> {
    let _ftz = FlushDenormals::new();
    let ch = program.channels();
    let mut out = vec![0f32; frames * ch];
    if ch > 0 {
        for (i, chunk) in out.chunks_mut(block.max(1) * ch).enumerate() {
            let frame = (i * block.max(1)) as u64;
            program.process(Block::new(state, chunk).at(frame));
        }
    }
    out
}

/// A scripted swap: commit `program` so that it runs from frame `frame` on.
pub struct Swap {
    /// The first frame the new program renders.
    pub frame: usize,
    /// The program to swap to.
    pub program: Program,
}

/// Renders `first`, then swaps to each program of `swaps` at its frame through the
/// engine (commit, migration by key, swap at the block boundary), exactly as the live
/// engine does: a render block is split at every swap frame. `cfg.channels` is the
/// output width (programs are mapped onto it as on a device). Returns the interleaved
/// output and what each commit carried. A swap that falls inside a running crossfade
/// waits for its end, as live.
pub fn render_script(
    first: Program,
    swaps: Vec<Swap>,
    frames: usize,
    block: usize,
    cfg: Config,
) -> (Vec<f32>, Vec<Committed>) {
    let mut out = Vec::with_capacity(frames * cfg.channels.max(1));
    let log = render_script_into(first, swaps, frames, block, cfg, |b| {
        out.extend_from_slice(b);
        Ok::<(), ()>(())
    })
    .expect("collecting never fails");
    (out, log)
}

/// [`render_script`] handing each block of interleaved output to `sink` as it is
/// rendered, so memory stays flat in the length (`kanonc render` streams to disk this
/// way). Stops at the first error of `sink`.
pub fn render_script_into<E>(
    first: Program,
    swaps: Vec<Swap>,
    frames: usize,
    block: usize,
    cfg: Config,
    mut sink: impl FnMut(&[f32]) -> Result<(), E>,
) -> Result<Vec<Committed>, E> {
    let mut swaps = swaps;
    swaps.sort_by_key(|s| s.frame);
    let dc = cfg.channels.max(1);
    let block = block.max(1);
    let (mut handle, mut proc) = engine(
        first,
        Config {
            channels: dc,
            ..cfg
        },
    );
    let mut buf = vec![0f32; block * dc];
    let mut pending = swaps.into_iter().peekable();
    let mut log = Vec::new();
    let mut pos = 0;
    while pos < frames {
        while pending.peek().is_some_and(|s| s.frame <= pos) {
            let s = pending.next().expect("peeked");
            match handle.commit(s.program) {
                Ok(c) => log.push(c),
                Err(program) => {
                    // Queue full or a crossfade running: try again at the next block.
                    let frame = s.frame;
                    let rest: Vec<Swap> = std::iter::once(Swap { frame, program })
                        .chain(pending)
                        .collect();
                    pending = rest.into_iter().peekable();
                    break;
                }
            }
        }
        let next = pending.peek().map_or(frames, |s| s.frame.max(pos + 1));
        let end = (pos + block).min(next).min(frames);
        let out = &mut buf[..(end - pos) * dc];
        proc.process(out);
        sink(out)?;
        handle.collect();
        pos = end;
    }
    Ok(log)
}
