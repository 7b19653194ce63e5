//! Cells at a fixed point (a delay time gliding to a constant target, once it is there):
//! the block function tests them once per block and runs a copy of the sample loop with
//! what they determine folded. Both copies must give the interpreter's bits, through the
//! glide after an edit of the time and once it has settled, in blocks of any size.

use kanon_compiler::{interp, Block, Program};

mod common;
use common::in_blocks as jit;

fn program(text: &str) -> Program {
    common::clif_program("steady.kn", text)
}

/// The state's index of the cell whose key ends with `suffix`.
fn cell(p: &Program, suffix: &str) -> usize {
    let c = (p.ir.cells.iter())
        .position(|c| c.key.to_string().ends_with(suffix))
        .unwrap_or_else(|| panic!("no cell {suffix}"));
    p.layout.cells[c].offset
}

/// The JIT from `state`, in blocks of 1, 7, 256 and 4801, against the interpreter.
fn agrees(p: &Program, state: Vec<f64>, frames: usize) -> Vec<f32> {
    let mut want_state = state.clone();
    let mut want = vec![0.0; frames * p.channels()];
    interp::Interp::new(&p.ir, &p.layout).process(Block::new(&mut want_state, &mut want));
    for block in [1, 7, 256, 4801] {
        let (out, end) = jit(p, state.clone(), frames, block);
        if let Some(i) = (0..out.len()).find(|&i| out[i].to_bits() != want[i].to_bits()) {
            panic!("blocks of {block}: sample {i}: {} vs {}", out[i], want[i]);
        }
        let same = end
            .iter()
            .zip(&want_state)
            .all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(same, "blocks of {block}: final state differs");
    }
    want
}

const FEEDBACK: &str = "~y: 0.3 * sine 220 + 0.5 * delay ~y 0.1\nout: ~y\n";

#[test]
fn a_constant_delay_time_runs_the_folded_loop_when_settled() {
    let p = program(FEEDBACK);
    let clif = p.clif.as_deref().expect("CLIF kept");
    // The test of the time cell against its fixed point, 0.1 s = 4800 samples.
    // (Cranelift prints the constant as hex with a `_` every four digits.)
    let hex = format!("{:016x}", 4800f64.to_bits());
    let bits = format!(
        "0x{}_{}_{}_{}",
        &hex[..4],
        &hex[4..8],
        &hex[8..12],
        &hex[12..]
    );
    assert!(
        clif.lines()
            .any(|l| l.contains("icmp eq") && l.contains(&bits)),
        "no test of the time against 4800 samples ({bits})"
    );
    // From the start (the time is NaN, then 4800) to well past the first echo.
    let out = agrees(&p, p.initial_state(), 14_400);
    assert!(out[4_810..].iter().any(|&y| y != 0.0));
}

#[test]
fn a_glide_after_an_edit_of_the_time_runs_the_general_loop_until_it_settles() {
    let p = program(FEEDBACK);
    let t = cell(&p, "delay#0.time");
    // As after an edit from 0.05 s: the time glides from 2400 samples up to 4800, a
    // quarter sample per frame (9600 frames), then holds.
    let mut state = p.initial_state();
    let warm = jit(&p, state.clone(), 4_800, 4_800).1;
    state.copy_from_slice(&warm);
    state[t] = 2_400.0;
    agrees(&p, state.clone(), 14_401);
    let end = jit(&p, state, 14_401, 256).1;
    assert_eq!(end[t], 4_800.0, "settled at the target");
}

#[test]
fn a_time_off_its_fixed_point_by_one_ulp_is_not_steady() {
    // The test is on the bits: a value a hair off glides in the general loop.
    let p = program(FEEDBACK);
    let t = cell(&p, "delay#0.time");
    let mut state = jit(&p, p.initial_state(), 4_800, 4_800).1;
    state[t] = f64::from_bits(4_800f64.to_bits() + 1);
    agrees(&p, state, 4_801);
}

#[test]
fn two_delays_each_with_its_own_time() {
    let p = program(
        "~a: 0.3 * sine 220 + 0.4 * delay ~a 0.01\n\
         ~b: 0.3 * saw 110 + 0.4 * delay ~b 0.013\n\
         out: ~a + ~b\n",
    );
    let (ta, tb) = (cell(&p, "~a/delay#0.time"), cell(&p, "~b/delay#0.time"));
    let mut state = jit(&p, p.initial_state(), 2_000, 2_000).1;
    agrees(&p, state.clone(), 4_801);
    // One settled, one gliding: the general loop until both hold.
    state[tb] = 500.0;
    agrees(&p, state.clone(), 4_801);
    state[ta] = 700.0;
    agrees(&p, state, 4_801);
}

#[test]
fn with_the_cells_in_memory_too() {
    // Three filters besides the delay: more cells than stay in registers, so the test
    // loads the time from the state block and the folded loop stores its fixed point.
    let p = program(
        "~y: 0.3 * sine 220 + 0.5 * delay ~y 0.02\n\
         out: ~y + (saw 3 # lpf 500 0.7) + (saw 5 # hpf 700 0.7) + (saw 7 # bpf 900 0.7)\n",
    );
    assert!(p.layout.cells.len() > 12, "cells in memory");
    let t = cell(&p, "delay#0.time");
    let mut state = jit(&p, p.initial_state(), 2_000, 2_000).1;
    agrees(&p, state.clone(), 4_801);
    state[t] = 100.0;
    agrees(&p, state, 4_801);
}
