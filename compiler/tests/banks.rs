//! Banks: sums of identical voices compiled once and run as a loop over the voices.
//! Which sums become banks, and that a rolled bank computes bit for bit what the
//! unrolled program (modelled by the interpreter) computes, in blocks of any size.

use kanon_compiler::{compile, interp, Block, Options, Program};
use kanon_lang::Source;

mod common;

fn program(text: &str) -> Program {
    let src = Source::new("bank.kn", text);
    compile(&src, Options::default())
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()))
}

/// Whether some bank's voices run two to an `f64x2` vector.
fn vectorised(text: &str) -> bool {
    let p = common::clif_program("bank.kn", text);
    p.clif.expect("kept").contains("f64x2")
}

/// (voices, cells per voice, constants per voice) of each bank.
fn banks(text: &str) -> Vec<(usize, usize, usize)> {
    program(text)
        .banks
        .iter()
        .map(|b| (b.voices, b.template.cells.len(), b.params))
        .collect()
}

/// Whether the compiled code runs a bank loop (its sum buffer is a 2 KiB stack slot),
/// rather than the unrolled voices.
fn rolled(text: &str) -> bool {
    let p = common::clif_program("bank.kn", text);
    p.clif.expect("CLIF kept").contains("explicit_slot 2048")
}

/// The JIT in blocks of 1, 7, 255, 256, 257 and 4800 frames against the interpreter:
/// the same output and the same final state, bit for bit.
fn agrees(text: &str) {
    let p = program(text);
    let frames = 9_600;
    let want = interp::render(&p, frames);
    assert!(want.iter().any(|&y| y != 0.0), "{text}: silent");
    let mut want_state = p.initial_state();
    let mut scratch = vec![0.0; frames * p.channels()];
    interp::Interp::new(&p.ir, &p.layout).process(Block::new(&mut want_state, &mut scratch));
    for block in [1, 7, 255, 256, 257, 4800] {
        let (out, state) = common::in_blocks(&p, p.initial_state(), frames, block);
        if let Some(i) = (0..out.len()).find(|&i| out[i].to_bits() != want[i].to_bits()) {
            panic!(
                "{text}: blocks of {block}: differs at sample {i}: {} vs {}",
                out[i], want[i]
            );
        }
        let same = state
            .iter()
            .zip(&want_state)
            .all(|(a, b)| a.to_bits() == b.to_bits() || a.is_nan() && b.is_nan());
        assert!(same, "{text}: blocks of {block}: final state differs");
    }
}

#[test]
fn a_sine_bank_is_one_bank_with_one_constant_per_voice() {
    let text = "out: sum i 0..1000: 0.01 * sine (55 * (i + 1))";
    assert_eq!(banks(text), vec![(1000, 1, 1)]);
    assert!(rolled(text));
    agrees("out: sum i 0..100: 0.01 * sine (55 * (i + 1))");
}

#[test]
fn filtered_voices_keep_both_cells_per_voice() {
    let text = "out: 0.002 * (sum i 0..500: saw (55 + 1.1 * i) # onepole 0.05)";
    assert_eq!(banks(text), vec![(500, 2, 1)]);
    agrees("out: 0.02 * (sum i 0..50: saw (55 + 1.1 * i) # onepole 0.05)");
}

#[test]
fn a_voice_with_a_resonant_filter_runs_fewer_lanes_and_stays_exact() {
    // Four filter cells plus the phase: lanes drop to three; 10 voices leave a remainder.
    let text = "out: 0.1 * (sum i 0..10: saw (110 * (i + 1)) # lpf (400 * (i + 1)) 2)";
    assert_eq!(banks(text), vec![(10, 5, 6)]);
    agrees(text);
}

#[test]
fn small_sums_stay_unrolled() {
    assert!(banks("out: sum i 0..7: sine (100 * (i + 1))").is_empty());
    assert!(!rolled("out: sum i 0..7: sine (100 * (i + 1))"));
    assert_eq!(banks("out: sum i 0..8: sine (100 * (i + 1))").len(), 1);
    agrees("out: 0.1 * (sum i 0..8: sine (100 * (i + 1)))");
}

#[test]
fn voices_reading_a_shared_signal_stay_unrolled_and_exact() {
    // The LFO is computed once per sample and read by every voice: not a voice's own.
    let text = "~lfo: sine 3\nout: 0.05 * (sum i 0..12: sine (200 * (i + 1)) * ~lfo)";
    assert!(banks(text).is_empty());
    agrees(text);
}

#[test]
fn voices_with_their_own_lfo_are_a_bank() {
    let text = "out: 0.05 * (sum i 0..12: sine (200 * (i + 1)) * sine (0.1 * i + 1))";
    assert_eq!(banks(text), vec![(12, 2, 2)]);
    agrees(text);
}

#[test]
fn a_voice_that_is_itself_a_sum_of_terms() {
    let text = "out: 0.02 * (sum i 0..16: sine (100 * (i + 1)) + 0.5 * tri (150 * (i + 1)))";
    assert_eq!(banks(text), vec![(16, 2, 2)]);
    agrees(text);
}

#[test]
fn nested_sums_roll_the_outer_one_when_it_is_large_enough() {
    let outer = "out: 0.01 * (sum i 0..10: sum j 0..3: sine (100 * (i + 1) * (j + 1)))";
    assert_eq!(banks(outer), vec![(10, 3, 3)]);
    agrees(outer);
    // An outer sum of four is too small; each inner sum of ten is a bank of its own.
    let inner = "out: 0.01 * (sum i 0..4: sum j 0..10: sine (100 * (i + 1) + 37 * j))";
    assert_eq!(banks(inner), vec![(10, 1, 1); 4]);
    agrees(inner);
}

#[test]
fn conditions_noise_and_memory_inside_voices() {
    let text = "out: 0.05 * (sum i 0..9: (saw (50 * (i + 1)) > 0.5 * i / 9) * noise + mem (sine (30 + i)) 0.25)";
    assert_eq!(banks(text).len(), 1);
    agrees(text);
}

#[test]
fn multichannel_sums_are_a_bank_per_channel() {
    let text =
        "out: [sum i 0..8: 0.1 * sine (100 * (i + 1)), sum i 0..9: 0.1 * tri (150 * (i + 1))]";
    assert_eq!(banks(text).len(), 2);
    agrees(text);
}

#[test]
fn a_bank_inside_a_feedback_loop() {
    // The sum feeds a bus that feeds back into the voices' neighbour: the bank's result
    // still arrives in the main loop at the right sample.
    let text = "~y: 0.5 * (sum i 0..8: 0.1 * sine (110 * (i + 1))) + 0.4 * ~y\nout: ~y";
    assert_eq!(banks(text).len(), 1);
    agrees(text);
}

#[test]
fn a_user_function_per_voice() {
    let text =
        "fn voice f: saw f # onepole 0.1 # tanh\nout: 0.05 * (sum i 0..20: voice (80 * (i + 1)))";
    assert_eq!(banks(text), vec![(20, 2, 1)]);
    agrees(text);
}

#[test]
fn at_most_sixteen_banks_the_largest() {
    let sums: Vec<String> = (0..20)
        .map(|k| format!("(sum i 0..{}: sine ({} * (i + 1)))", 8 + k, 50 + k))
        .collect();
    let text = format!("out: 0.001 * ({})", sums.join(" + "));
    let found = banks(&text);
    let voices: Vec<usize> = found.iter().map(|b| b.0).collect();
    assert_eq!(voices, (12..28).rev().collect::<Vec<_>>());
    agrees(&text);
}

#[test]
fn selects_of_selects_inside_voices_are_each_voice_own() {
    // A select whose arm is another select reuses that select's integer result, in
    // every lane of a bank too.
    let text = "out: 0.05 * (sum i 0..10: select (sine (3 + i) > 0) (square (100 * (i + 1))) (select (saw (7 + i) > 0.5) (tri (150 * (i + 1))) 0.25))";
    assert_eq!(banks(text).len(), 1);
    assert!(vectorised(text));
    agrees(text);
}

#[test]
fn vectorised_voices_in_even_and_odd_counts() {
    // Four vectors of two voices at a time, then a pair, then an odd last voice.
    for n in [8, 9, 10, 11, 17, 19] {
        let text = format!(
            "out: 0.05 * (sum i 0..{n}: sine (55 * (i + 1)) + 0.3 * saw (70 + 3 * i) / (2.5 + i))"
        );
        assert_eq!(banks(&text), vec![(n, 2, 3)], "{text}");
        assert!(vectorised(&text), "{text}");
        agrees(&text);
    }
}

#[test]
fn vectorised_voices_with_comparisons_and_selects() {
    for text in [
        "out: 0.05 * (sum i 0..13: \
            select (saw (40 * (i + 1)) > 0.1 * i - 0.45) (square (90 + 7 * i)) (tri (60 + i)) \
            + (sine (2 + i) <= 0) - (saw (3 + i) >= 0.5) + (phasor (5 + i) < 0.25) \
            + (floor (4 * phasor (7 + i)) == 2) * (floor (3 * phasor (11 + i)) != 1))",
        // A condition that is not a comparison: non-zero (or NaN) selects.
        "out: 0.05 * (sum i 0..13: \
            select (saw (13 + i)) (sin (0.5 * i + 0.1) * cos (phasor (1 + i))) 0.5)",
    ] {
        assert_eq!(banks(text).len(), 1, "{text}");
        assert!(vectorised(text), "{text}");
        agrees(text);
    }
}

#[test]
fn vectorised_voices_with_min_max_and_signed_zeros() {
    // min and max of +0 and -0 are -0 and +0 in every lane, as in scalar code; the
    // remembered values are checked bit for bit in the final state. The same unrolled:
    let one =
        "out: mem (min (-0 * saw 20) (0 * saw 25)) 1 + mem (max (0 * saw 21) (-0 * saw 26)) 1";
    assert!(banks(one).is_empty());
    agrees(one);
    for text in [
        "out: 0.05 * (sum i 0..11: clip (3 * sine (30 * (i + 1))) (-0.5) (0.05 * i + 0.1) \
            + wrap (2 * saw (9 + i)) (-0.3) 0.7 + sqrt (abs (saw (17 + i))))",
        "out: 0.05 * (sum i 0..11: mem (min (-0 * saw (20 + i)) (0 * saw (25 + i))) 1 \
            + mem (max (0 * saw (21 + i)) (-0 * saw (26 + i))) 1)",
    ] {
        assert_eq!(banks(text).len(), 1, "{text}");
        assert!(vectorised(text), "{text}");
        agrees(text);
    }
}

#[test]
fn voices_calling_functions_or_making_noise_stay_scalar() {
    for text in [
        "out: 0.05 * (sum i 0..9: tanh (3 * sine (100 * (i + 1))))",
        "out: 0.05 * (sum i 0..10: noise * saw (30 + i))",
        "out: 0.05 * (sum i 0..9: pow (phasor (40 + i)) 1.5)",
    ] {
        assert_eq!(banks(text).len(), 1, "{text}");
        assert!(!vectorised(text), "{text}");
        agrees(text);
    }
}
