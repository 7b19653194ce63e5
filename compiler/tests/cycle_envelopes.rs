//! Phonon's per-cycle envelopes (`ad 0.01 0.1`, `adsr …` with a number where the gate
//! would be, `line 0 1`): the gated envelopes driven by the cycle, checked sample by
//! sample against the Faust transcriptions in `models`.

mod models;

use kanon_compiler::{compile, Options};
use kanon_lang::Source;

const SR: f64 = 48_000.0;

fn render(src: &str, frames: usize) -> (Vec<f32>, usize) {
    let source = Source::new("t.kn", src);
    let program = compile(&source, Options::default()).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter().map(|d| d.render(&source)).collect::<String>()
        )
    });
    let ch = program.channels();
    (kanon_runtime::render(&program, frames, 100), ch)
}

#[test]
fn per_cycle_envelopes_are_the_gated_ones_driven_by_the_cycle() {
    // Two cycles a second: 24000 samples a cycle.
    let src = "tempo: 2\nout: [ad 0.01 0.1, ar 0.2 0.1, adsr 0.05 0.1 0.5 0.1, \
               adsr 0.01 :decay 0.05, line 100 200, line 1 (-1) * 0.5]";
    let frames = 3 * 24_000;
    let (out, ch) = render(src, frames);
    assert_eq!(ch, 6);
    let mut f: [models::Faust; 4] = Default::default();
    for n in 0..frames {
        let t = (n % 24_000) as f64;
        let trig = if t == 0.0 { 1.0 } else { 0.0 };
        let want = [
            f[0].ar(SR, 0.01, 0.1, trig),
            f[1].ar(SR, 0.2, 0.1, trig),
            f[2].adsr(
                SR,
                0.05,
                0.1,
                0.5,
                0.1,
                f64::from(u8::from(t < 24_000.0 - 4_800.0)),
            ),
            // Phonon's defaults: sustain 0.7, release 0.2.
            f[3].adsr(
                SR,
                0.01,
                0.05,
                0.7,
                0.2,
                f64::from(u8::from(t < 24_000.0 - 9_600.0)),
            ),
            100.0 + 100.0 * (t * (2.0 / SR)),
            (1.0 + -2.0 * (t * (2.0 / SR))) * 0.5,
        ];
        for (c, w) in want.iter().enumerate() {
            let got = out[n * ch + c];
            assert!(
                (f64::from(got) - w).abs() <= 1e-6 * w.abs().max(1.0),
                "frame {n}, channel {c}: rendered {got}, model {w}"
            );
        }
    }
    // The envelopes do move: every one reaches near its top in each cycle.
    for c in 0..4 {
        let top = (0..24_000).map(|n| out[n * ch + c]).fold(0.0f32, f32::max);
        assert!(top > 0.49, "channel {c} peaks at {top}");
    }
}

#[test]
fn the_arguments_say_which_form() {
    // Fewer arguments than the gated form, nothing piped: per cycle, whatever the first
    // argument is (Phonon's `adsr ~attack_pattern 0.1 0.5 0.2`).
    let (a, _) = render(
        "tempo: 2\n~att: 0.2\nout: [adsr ~att 0.1 0.5 0.1, ad ~att 0.1]",
        48_000,
    );
    let (b, _) = render("tempo: 2\nout: [adsr 0.2 0.1 0.5 0.1, ad 0.2 0.1]", 48_000);
    assert!(a == b);
    // All of the gated form's arguments: the gated form.
    let (c, _) = render("~g: trig \"x\"\nout: ar ~g 0.01 0.1", 4_800);
    let (d, _) = render("~g: trig \"x\"\nout: ~g # ar 0.01 0.1", 4_800);
    assert!(c == d && c.iter().any(|&x| x > 0.5));
}

#[test]
fn a_gate_signal_makes_the_gated_form() {
    // `~g # adsr …` and `adsr ~g …` with all five arguments read the gate.
    let src =
        "~g: (square 4 + 1) * 0.5\nout: [~g # adsr 0.01 0.02 0.5 0.03, adsr ~g 0.01 0.02 0.5 0.03]";
    let (out, ch) = render(src, 48_000);
    let mut f: [models::Faust; 2] = Default::default();
    let mut p = 0.0f64;
    for n in 0..48_000 {
        let g = if p < 0.5 { 1.0 } else { 0.0 };
        let s = p + 4.0 / SR;
        p = s - s.floor();
        for c in 0..2 {
            let w = f[c].adsr(SR, 0.01, 0.02, 0.5, 0.03, g);
            assert!((f64::from(out[n * ch + c]) - w).abs() <= 1e-6, "frame {n}");
        }
    }
}

#[test]
fn a_per_cycle_form_with_a_wrong_argument_count_says_how_to_call_it() {
    let source = Source::new("t.kn", "out: ad 0.1");
    let d = compile(&source, Options::default())
        .err()
        .expect("an error");
    let text = d[0].render(&source);
    assert!(
        text.contains("`ad` on each cycle takes: ad attack decay"),
        "{text}"
    );
    assert!(text.contains("t.kn:1:6"), "{text}");
}
