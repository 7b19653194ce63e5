//! A program with more cells than stay in registers keeps them in the state block; a cell
//! whose next value is a constant (a pluck's held trigger) is stored as its bits from an
//! integer register. Checked against the interpreter bit for bit, state included.

use kanon_compiler::{compile, Options};
use kanon_lang::Source;

mod common;

#[test]
fn cells_in_memory_match_the_interpreter_bit_for_bit() {
    let text = "out: sum i 0..8: pluck (110 * (i + 1)) 0.5 * 0.1\n";
    let src = Source::new("strings.kn", text);
    let p = compile(&src, Options::default()).unwrap_or_else(|d| panic!("{}", d[0].render(&src)));
    assert!(p.layout.cells.len() > 12, "enough cells to live in memory");
    let frames = 4_800;
    let jit_state = common::jit_matches_interp(&p, frames);
    // The held triggers were stored: each is 1 after the first frame.
    let held = p
        .layout
        .cells
        .iter()
        .filter(|c| c.key.to_string().ends_with(".trig"))
        .map(|c| jit_state[c.offset])
        .collect::<Vec<_>>();
    assert_eq!(held, vec![1.0; 8]);
}
