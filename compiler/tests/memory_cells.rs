//! A program with more cells than stay in registers keeps them in the state block; a cell
//! whose next value is a constant (a pluck's held trigger) is stored as its bits from an
//! integer register. Checked against the interpreter bit for bit, state included.

use kanon_compiler::{compile, interp, Block, Options};
use kanon_lang::Source;

#[test]
fn cells_in_memory_match_the_interpreter_bit_for_bit() {
    let text = "out: sum i 0..8: pluck (110 * (i + 1)) 0.5 * 0.1\n";
    let src = Source::new("strings.kn", text);
    let p = compile(&src, Options::default()).unwrap_or_else(|d| panic!("{}", d[0].render(&src)));
    assert!(p.layout.cells.len() > 12, "enough cells to live in memory");
    let frames = 4_800;
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
