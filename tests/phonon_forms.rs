//! Phonon's syntax forms, which its playing programs use: `$` definitions, `outN:`,
//! keyword arguments, negative numbers glued into argument lists, `bpm:`, a `stack` of
//! signals, `#` comment lines.

use kanon_compiler::{compile, Options, Program};
use kanon_lang::Source;
use kanon_runtime::render::render;

fn prog(text: &str) -> Program {
    let src = Source::new("t.kn", text);
    compile(&src, Options::default())
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()))
}

/// The same output, bit for bit, from two spellings.
fn same(a: &str, b: &str) {
    let (pa, pb) = (prog(a), prog(b));
    assert!(
        render(&pa, 12_000, 512) == render(&pb, 12_000, 512),
        "{a}\n{b}"
    );
}

#[test]
fn dollar_definitions_and_out_n() {
    same(
        "~a $ sine 330\nout $ ~a * 0.2",
        "~a: sine 330\nout: ~a * 0.2",
    );
    same("out1 $ sine 330\nout2: saw 2", "o1: sine 330\no2: saw 2");
}

#[test]
fn keyword_arguments_fill_parameters_by_name() {
    same(
        "out: saw 110 # lpf :q 0.7 :cutoff 900",
        "out: saw 110 # lpf 900 0.7",
    );
    same(
        "fn t f g: sine f * g\nout: t :g 0.2 :f 330",
        "out: sine 330 * 0.2",
    );
    same(
        "out: s \"bd*2 sn\" :gain 0.5 :speed 2",
        "out: s \"bd*2 sn\" # gain 0.5 # speed 2",
    );
}

#[test]
fn a_minus_glued_to_a_number_is_an_argument() {
    same("out: sine -110 * 0.2", "out: sine (-110) * 0.2");
    same("out: clip (saw 3) -0.5 0.5", "out: clip (saw 3) (-0.5) 0.5");
    // With a space it subtracts, as before.
    same("out: saw 55 - 0.5", "out: (saw 55) - 0.5");
}

#[test]
fn a_stack_of_signals_is_their_sum() {
    same(
        "out: stack [saw 55 * 0.1, sine 220 * 0.2]",
        "out: saw 55 * 0.1 + sine 220 * 0.2",
    );
}

#[test]
fn phonon_comment_lines_and_bpm() {
    same(
        "# Example: a comment line, as in Phonon's files\nbpm: 120\nout $ sine \"110 220\" * 0.2",
        "tempo: 0.5\nout: sine \"110 220\" * 0.2",
    );
}

#[test]
fn a_stereo_value_on_a_numbered_output_is_mixed_into_it() {
    // Phonon's outputs are mono: `o2: … # reverb …` plays the mean of the two channels.
    let mixed = render(
        &prog("~x: saw 110\no1: sine 1\no2: ~x # reverb 0.5 0.5"),
        12_000,
        512,
    );
    let stereo = render(&prog("~x: saw 110\nout: ~x # reverb 0.5 0.5"), 12_000, 512);
    for n in 0..12_000 {
        let mean = (f64::from(stereo[2 * n]) + f64::from(stereo[2 * n + 1])) * 0.5;
        assert!(
            (f64::from(mixed[2 * n + 1]) - mean).abs() < 1e-6,
            "frame {n}"
        );
    }
    assert!(mixed.iter().skip(1).step_by(2).any(|&x| x.abs() > 0.01));
    let p = prog("o1: [sine 1, sine 2]");
    assert_eq!(p.warnings.len(), 1);
}

#[test]
fn phonon_defaults_if_and_bare_oscillators() {
    // `lpf` with q left out, `if`, a bare `phasor` (one ramp per cycle).
    same("out: saw 55 # lpf 800", "out: saw 55 # lpf 800 0.707");
    same(
        "out: if (sine 3) 1 (-1)",
        "out: select (sine 3 > 0.5) 1 (-1)",
    );
    same(
        "tempo: 2\nout: phasor + sine",
        "tempo: 2\nout: phasor 2 + sine 2",
    );
}

#[test]
fn without_an_output_the_master_or_the_d_buses_play() {
    // Phonon's (and Tidal's) routing of a program with no `out:`: `~master`, else the
    // sum of `~d1`, `~d2`, … in number order.
    same(
        "~d2: saw 110\n~d10: sine 3\n~d1: sine 220\n~lfo: sine 5",
        "~d2: saw 110\n~d10: sine 3\n~d1: sine 220\n~lfo: sine 5\nout: ~d1 + ~d2 + ~d10",
    );
    same(
        "~d1: sine 220\n~master: ~d1 * 0.5",
        "~d1: sine 220\n~master: ~d1 * 0.5\nout: ~master",
    );
}

#[test]
fn a_transformation_after_a_call_on_a_pattern_transforms_the_pattern() {
    // Phonon's `saw "110 220" $ fast 2`: the pattern argument is transformed.
    same(
        "out: saw \"110 220 330\" $ fast 2",
        "out: saw (\"110 220 330\" $ fast 2)",
    );
    same(
        "out: sine \"220 330\" $ every 2 rev $ fast 2",
        "out: sine (\"220 330\" $ every 2 rev $ fast 2)",
    );
    // A signal that is not a call on a pattern is still an error.
    let src = Source::new("t.kn", "out: saw 110 $ fast 2");
    assert!(compile(&src, Options::default()).is_err());
}

#[test]
fn scale_and_chord_on_n_and_alone() {
    // Phonon's `# scale` on `n` is Tidal's `scale` with the pattern piped in.
    same(
        "out: sine (mtof (n \"0 2 4 7\" # scale \"minor\" + 57)) * 0.2",
        "out: sine (mtof (\"0 3 7 12\" + 57)) * 0.2",
    );
    same(
        "out: sine (mtof (scale \"pentatonic\" \"0 5\" + 60)) * 0.2",
        "out: sine (mtof (\"0 12\" + 60)) * 0.2",
    );
    // Tidal's `chord "maj"` alone is the chord on 0: the same as piping 0 into it.
    same(
        "out: sine (mtof (chord \"<maj min>\" + 60)) * 0.2",
        "out: sine (mtof (\"<0 0>\" # chord \"<maj min>\" + 60)) * 0.2",
    );
}

#[test]
fn select_by_index_with_three_inputs_or_more() {
    // Three inputs or more: Phonon's index, rounded and wrapped.
    same(
        "out: select \"0 1 2 4\" (sine 220) (sine 330) (sine 440)",
        "out: select \"0 1 2 1\" (sine 220) (sine 330) (sine 440)",
    );
    same(
        "out: select \"0 1 2\" (sine 220) (sine 330) (sine 440)",
        "out: \"220 330 440\" # sine",
    );
    // Two inputs: kanon's `select c a b`, `a` where c ≠ 0.
    same(
        "out: select \"0 1\" (sine 220) (sine 330)",
        "out: \"330 220\" # sine",
    );
}

/// The same output, bit for bit, over one second (two cycles at `cps: 2`).
fn same_second(a: &str, b: &str) -> Vec<f32> {
    let (pa, pb) = (prog(a), prog(b));
    let (ra, rb) = (render(&pa, 48_000, 512), render(&pb, 48_000, 512));
    assert!(ra == rb, "{a}\n{b}");
    ra
}

#[test]
fn a_transformation_after_scaled_sounds_transforms_the_sounds() {
    // Phonon's `s "hh*8" * 0.5 $ swing 0.15`: the sounds swung, then scaled.
    let swung = same_second(
        "cps: 2\nout: s \"hh*4 sn\" * 0.5 $ swing 0.15",
        "cps: 2\nout: (s \"hh*4 sn\" $ swing 0.15) * 0.5",
    );
    same_second(
        "cps: 2\nout: s \"hh*4 sn\" * 0.5 $ swing 0.15",
        "cps: 2\nout: s (\"hh*4 sn\" $ swing 0.15) * 0.5",
    );
    let straight = same_second(
        "cps: 2\nout: s \"hh*4 sn\" * 0.5",
        "cps: 2\nout: s \"hh*4 sn\" / 2",
    );
    assert!(swung != straight, "the swing moved nothing");
    // Divided, nested, and through a chain of `$`.
    same_second(
        "cps: 2\nout: s \"hh*4 sn\" * 0.5 / 2 $ fast 2 $ swing 0.1",
        "cps: 2\nout: s (\"hh*4 sn\" $ fast 2 $ swing 0.1) * 0.5 / 2",
    );
    same_second(
        "cps: 2\nout: 0.5 * s \"hh*4 sn\" $ rev",
        "cps: 2\nout: 0.5 * s (rev \"hh*4 sn\")",
    );
    // A signal scaled is still no pattern.
    let src = Source::new("t.kn", "out: sine 440 * 0.5 $ fast 2");
    let err = compile(&src, Options::default()).err().expect("an error");
    assert!(
        err[0].render(&src).contains("this is a signal"),
        "{}",
        err[0].render(&src)
    );
}

#[test]
fn groove_presets_with_and_without_an_amount() {
    let grooved = same_second(
        "cps: 2\nout: s \"bd sn hh*4 cp\" $ groove \"mpc\"",
        "cps: 2\nout: s \"bd sn hh*4 cp\" $ groove \"mpc\" 1",
    );
    same_second(
        "cps: 2\nout: s \"bd sn hh*4 cp\" $ groove \"mpc\"",
        "cps: 2\nout: groove \"mpc\" 1 (s \"bd sn hh*4 cp\")",
    );
    same_second(
        "cps: 2\nout: s \"bd sn hh*4 cp\" # groove \"jazz\"",
        "cps: 2\nout: s (\"bd sn hh*4 cp\" $ groove \"jazz\" 1)",
    );
    let straight = prog("cps: 2\nout: s \"bd sn hh*4 cp\"");
    assert!(
        grooved != render(&straight, 48_000, 512),
        "the groove moved nothing"
    );
    // Amount 0 is no groove; Phonon's other names are the same templates.
    same_second(
        "cps: 2\nout: s \"bd sn hh*4 cp\" $ groove \"drunken\" 0",
        "cps: 2\nout: s \"bd sn hh*4 cp\"",
    );
    same_second(
        "cps: 2\nout: s \"bd*8\" $ groove \"lazy_hiphop\" \"<1 0.5>\"",
        "cps: 2\nout: s \"bd*8\" $ groove \"hiphop\" \"<1 0.5>\"",
    );
}
