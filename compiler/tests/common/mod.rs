//! What several test files check: a program's native code against kanonc's interpreter.

use kanon_compiler::{interp, Block, Program};

/// Renders `frames` of the mono program `p` from its initial state natively and in the
/// interpreter, asserts that the states and outputs agree bit for bit, and returns the
/// native state.
pub fn jit_matches_interp(p: &Program, frames: usize) -> Vec<f64> {
    let mut jit_state = p.initial_state();
    let mut out = vec![0.0; frames];
    p.process(Block::new(&mut jit_state, &mut out));
    let mut int_state = p.initial_state();
    let mut out2 = vec![0.0; frames];
    interp::Interp::new(&p.ir, &p.layout).process(Block::new(&mut int_state, &mut out2));
    for (k, (a, b)) in jit_state.iter().zip(&int_state).enumerate() {
        assert_eq!(
            a.to_bits(),
            b.to_bits(),
            "state {k}: jit {a:e}, interpreter {b:e}"
        );
    }
    assert_eq!(
        out.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
        out2.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
    );
    jit_state
}
