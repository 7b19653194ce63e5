//! What several test files check: a program's native code against kanonc's interpreter,
//! and the helpers they share to compile and render.
#![allow(dead_code)] // each test file uses some of these

use kanon_compiler::{compile, interp, Block, Options, Program};
use kanon_lang::Source;

/// Compiles `text` (named `name` in diagnostics) keeping the CLIF of its block function,
/// for tests that read the generated code.
pub fn clif_program(name: &str, text: &str) -> Program {
    let src = Source::new(name, text);
    let options = Options {
        keep_clif: true,
        ..Options::default()
    };
    compile(&src, options).unwrap_or_else(|d| panic!("{}", d[0].render(&src)))
}

/// Renders `frames` of `p` from `state` in blocks of `block` frames: the output and the
/// final state.
pub fn in_blocks(
    p: &Program,
    mut state: Vec<f64>,
    frames: usize,
    block: usize,
) -> (Vec<f32>, Vec<f64>) {
    let mut out = vec![0.0; frames * p.channels()];
    for b in out.chunks_mut(block * p.channels()) {
        p.process(Block::new(&mut state, b));
    }
    (out, state)
}

/// Renders `frames` of the program `p` from its initial state natively and in the
/// interpreter, asserts that the states and outputs agree bit for bit, and returns the
/// native state.
pub fn jit_matches_interp(p: &Program, frames: usize) -> Vec<f64> {
    jit_and_interp(p, frames).0
}

/// [`jit_matches_interp`], returning the native state and output (frames × channels,
/// interleaved).
pub fn jit_and_interp(p: &Program, frames: usize) -> (Vec<f64>, Vec<f32>) {
    let ch = p.channels();
    let mut jit_state = p.initial_state();
    let mut out = vec![0.0; frames * ch];
    p.process(Block::new(&mut jit_state, &mut out));
    let mut int_state = p.initial_state();
    let mut out2 = vec![0.0; frames * ch];
    interp::Interp::new(&p.ir, &p.layout).process(Block::new(&mut int_state, &mut out2));
    for (k, (a, b)) in jit_state.iter().zip(&int_state).enumerate() {
        assert_eq!(
            a.to_bits(),
            b.to_bits(),
            "state {k}: jit {a:e}, interpreter {b:e}"
        );
    }
    for (k, (a, b)) in out.iter().zip(&out2).enumerate() {
        assert_eq!(
            a.to_bits(),
            b.to_bits(),
            "frame {}, channel {}: jit {a:e}, interpreter {b:e}",
            k / ch,
            k % ch
        );
    }
    (jit_state, out)
}
