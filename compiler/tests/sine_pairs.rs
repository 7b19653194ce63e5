//! Two sines of one sample (`sintau`, `sin`, `cos`) whose inputs are both ready run as
//! the two lanes of one `f64x2` evaluation: a biquad's `sin` and `cos` of one angle, a
//! chorus's sine and cosine. Lane by lane the operations are the scalar ones, so the
//! values are the interpreter's bit for bit, state included.

use kanon_compiler::{compile, Options, Program};
use kanon_lang::Source;

mod common;

fn program(text: &str) -> Program {
    let src = Source::new("pairs.kn", text);
    let options = Options {
        keep_clif: true,
        ..Options::default()
    };
    compile(&src, options).unwrap_or_else(|d| panic!("{}", d[0].render(&src)))
}

/// The number of `f64x2` sine evaluations in the block function (each starts by putting
/// the first sine's turns into a vector's lane 0).
fn paired(p: &Program) -> usize {
    p.clif
        .as_deref()
        .expect("CLIF kept")
        .lines()
        .filter(|l| l.contains("scalar_to_vector.f64x2"))
        .count()
}

#[test]
fn sin_and_cos_of_one_angle_share_one_evaluation() {
    // Kept in state cells through `mem`, so every bit shows (outputs are f32). Angles
    // far from 0 too: the range reduction must agree lane by lane.
    let text = "\
~w: 3 * saw 0.7 + 40 * sine 0.3
~s: mem (sin ~w) 0
~c: mem (cos ~w) 0
out: 0.5 * ~s + 0.5 * ~c
";
    let p = program(text);
    assert_eq!(paired(&p), 1, "the sin and cos of ~w go together");
    common::jit_matches_interp(&p, 9_600);
}

#[test]
fn a_modulated_low_pass_computes_its_coefficients_sine_and_cosine_together() {
    let p = program("out: 0.5 * (saw 110 # lpf (1500 + 1000 * sine 0.25) 0.8)\n");
    assert_eq!(paired(&p), 1);
    common::jit_matches_interp(&p, 9_600);
}

#[test]
fn a_sine_whose_input_needs_the_other_runs_alone() {
    // `sin (sine 3)`: the second sine's input is the first one's value.
    let p = program("~x: mem (sin (4 * sine 3)) 0\nout: ~x\n");
    assert_eq!(paired(&p), 0);
    common::jit_matches_interp(&p, 4_800);
}

#[test]
fn two_oscillators_pair_up_their_sines() {
    // The second sine's phase is a cell, read early for the pair.
    let p = program("out: 0.25 * sine 440 + 0.25 * sine 441\n");
    assert_eq!(paired(&p), 1);
    common::jit_matches_interp(&p, 4_800);
}

#[test]
fn sines_pair_up_with_cells_kept_in_memory() {
    // Three different filters (no bank): more cells than stay in registers, so each
    // phase is a load, read early for its pair and stored later.
    let text = "out: 0.2 * sine 440 + 0.2 * sine 441 + (saw 3 # lpf 500 0.7) \
+ (saw 5 # hpf 700 0.7) + (saw 7 # bpf 900 0.7)\n";
    let p = program(text);
    assert!(p.banks.is_empty());
    assert!(p.layout.cells.len() > 12, "cells in memory");
    assert_eq!(paired(&p), 1);
    common::jit_matches_interp(&p, 4_800);
}
