//! Two sines of one sample (`sintau`, `sin`, `cos`) whose inputs are both ready run as
//! the two lanes of one `f64x2` evaluation: a biquad's `sin` and `cos` of one angle, a
//! chorus's sine and cosine. Lane by lane the operations are the scalar ones, so the
//! values are the interpreter's bit for bit, state included. With the cells in
//! registers the sample loop runs two samples at a time (then one for an odd block), and
//! an oscillator's sine goes with the next sample's: so the main loop's sample is emitted
//! three times (first and second of a pair, the odd one), and the counts below count
//! each copy's evaluations.

use kanon_compiler::Program;

mod common;

fn program(text: &str) -> Program {
    common::clif_program("pairs.kn", text)
}

/// The number of `f64x2` sine evaluations in the block function, over every copy of the
/// sample (each starts by putting the first sine's turns into a vector's lane 0).
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
    // sin and cos of ~w together in each of the three copies, and `sine 0.3` with the
    // next sample's in the pair's first.
    assert_eq!(paired(&p), 4, "the sin and cos of ~w go together");
    common::jit_matches_interp(&p, 9_601);
}

#[test]
fn a_modulated_low_pass_computes_its_coefficients_sine_and_cosine_together() {
    let p = program("out: 0.5 * (saw 110 # lpf (1500 + 1000 * sine 0.25) 0.8)\n");
    // The coefficients' sin and cos in each copy, the LFO across the pair.
    assert_eq!(paired(&p), 4);
    common::jit_matches_interp(&p, 9_601);
}

#[test]
fn a_sine_whose_input_needs_the_other_runs_alone() {
    // `sin (sine 3)`: the second sine's input is the first one's value, in this sample
    // and the next; only `sine 3` pairs, with the next sample's.
    let p = program("~x: mem (sin (4 * sine 3)) 0\nout: ~x\n");
    assert_eq!(paired(&p), 1);
    common::jit_matches_interp(&p, 4_801);
}

#[test]
fn two_oscillators_pair_up_their_sines() {
    // The second sine's phase is a cell, read early for the pair: a pair in each copy
    // (a sample's own partner goes first, so none across samples).
    let p = program("out: 0.25 * sine 440 + 0.25 * sine 441\n");
    assert_eq!(paired(&p), 3);
    common::jit_matches_interp(&p, 4_801);
}

#[test]
fn one_oscillator_pairs_its_sine_with_the_next_samples() {
    // The phase's next value is computed before the sine, so both samples' phases are
    // at hand in the first of a pair: one f64x2 sine for two samples.
    let p = program("out: 0.5 * sine 440\n");
    assert_eq!(paired(&p), 1);
    // Odd blocks end with a sample alone; every split gives the same bits and state.
    let want = common::jit_matches_interp(&p, 4_801);
    let whole = common::in_blocks(&p, p.initial_state(), 4_801, 4_801);
    assert_eq!(whole.1, want);
    for block in [1, 2, 7, 256, 257] {
        let (out, state) = common::in_blocks(&p, p.initial_state(), 4_801, block);
        assert!(out
            .iter()
            .zip(&whole.0)
            .all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(state, whole.1, "blocks of {block}");
    }
}

#[test]
fn a_phase_written_after_its_sine_does_not_pair_across_samples() {
    // A sine of a phase whose next value comes after the sine (the phase of `sin` of a
    // cell written later) does not pair across samples.
    let p = program("~p: mem (wrap (~p + 0.01)) 0\nout: 0.5 * sin (6.283185307179586 * ~p)\n");
    assert_eq!(paired(&p), 0);
    common::jit_matches_interp(&p, 4_801);
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
