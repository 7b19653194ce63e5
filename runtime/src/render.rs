//! Offline rendering: the program's block function run block by block, as the audio
//! callback would, with denormals flushed the same way.

use crate::denormal::FlushDenormals;
use kanon_compiler::Program;

/// Renders `frames` frames of interleaved output in blocks of `block` frames, from the
/// program's initial state.
pub fn render(program: &Program, frames: usize, block: usize) -> Vec<f32> {
    let mut state = program.initial_state();
    render_from(program, &mut state, frames, block)
}

/// Renders `frames` frames from a given state, advancing it.
pub fn render_from(program: &Program, state: &mut [f64], frames: usize, block: usize) -> Vec<f32> {
    let _ftz = FlushDenormals::new();
    let ch = program.channels();
    let mut out = vec![0f32; frames * ch];
    if ch > 0 {
        for chunk in out.chunks_mut(block.max(1) * ch) {
            program.process(state, chunk);
        }
    }
    out
}
