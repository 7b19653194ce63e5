//! A reverb's state through an edit: its tail rings on when the dry signal is edited,
//! and a new room size mid-tail bends the decay without a click.

use kanon_compiler::{compile, Options, Program};
use kanon_lang::Source;
use kanon_runtime::engine::Config;
use kanon_runtime::render::{render, render_script, Swap};

const SR: usize = 48_000;

fn prog(text: &str) -> Program {
    let src = Source::new("t.kn", text);
    compile(&src, Options::default()).unwrap_or_else(|d| {
        panic!(
            "{text}\n{}",
            d.iter().map(|d| d.render(&src)).collect::<String>()
        )
    })
}

/// Renders `a`, swapping to `b` at frame `at` (stereo).
fn swapped(a: &str, b: &str, at: usize, frames: usize) -> Vec<f32> {
    let (out, log) = render_script(
        prog(a),
        vec![Swap {
            frame: at,
            program: prog(b),
        }],
        frames,
        256,
        Config::exact(SR as f64, 2, 256),
    );
    assert_eq!(log.len(), 1);
    out
}

/// Largest step between neighbouring samples of one channel over `frames`.
fn max_step(out: &[f32], ch: usize, frames: std::ops::Range<usize>) -> f32 {
    frames
        .map(|n| (out[n * 2 + ch] - out[(n - 1) * 2 + ch]).abs())
        .fold(0.0, f32::max)
}

#[test]
fn a_reverb_tail_rings_on_through_an_edit_of_the_dry_signal() {
    // A click into a long reverb; the edit silences the dry signal (another expression,
    // the same keys): every sample after the swap is the tail the first program would
    // have played, bit for bit. Freeverb and Dattorro's plate alike.
    for verb in ["reverb 0.9 0.3 1", "plate 0.01 0.8 :mix 1"] {
        let a = format!("~dry: mem 0 1\nout: ~dry # {verb}");
        let b = format!("~dry: mem 0 1 * 0 + 0 * sine 220\nout: ~dry # {verb}");
        let frames = SR;
        let at = SR / 4;
        let out = swapped(&a, &b, at, frames);
        let alone = render(&prog(&a), frames, 256);
        assert_eq!(
            out.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            alone.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            "{verb}"
        );
        let tail = out[at * 2..].iter().fold(0.0f32, |m, x| m.max(x.abs()));
        assert!(
            tail > 1e-3,
            "{verb}: the tail after the swap peaks at {tail}"
        );
    }
}

#[test]
fn a_new_room_mid_tail_does_not_click() {
    // A 220 Hz tone into a small room for a quarter second, then silence; at 0.3 s the
    // room becomes a hall. The feedback changes and the lines keep their contents: the
    // largest step around the swap is within a quarter of the tail's own steps just
    // before (the hall's feedback lifts the tail a little, measured +3%); a swap that
    // loses the reverb's state (its bus renamed) steps 10 to 37 times as far.
    let dry = "~dry: sine 220 * (phasor 1 < 0.25)\n";
    let a = format!("{dry}out: ~dry # reverb 0.3 0.5 1");
    let b = format!("{dry}out: ~dry # reverb 0.95 0.5 1");
    let lost = format!("{dry}~wet: ~dry # reverb 0.95 0.5 1\nout: ~wet");
    let at = SR * 3 / 10;
    let out = swapped(&a, &b, at, SR / 2);
    let reset = swapped(&a, &lost, at, SR / 2);
    for ch in 0..2 {
        let before = max_step(&out, ch, at - 2_400..at);
        let around = max_step(&out, ch, at - 64..at + 64);
        let lost = max_step(&reset, ch, at - 64..at + 64);
        println!(
            "channel {ch}: largest step before {before:e}, around the swap {around:e}, \
             around a swap that loses the state {lost:e}"
        );
        assert!(before > 0.0);
        assert!(
            around <= 1.25 * before,
            "channel {ch}: {around} around the swap, {before} before"
        );
        assert!(
            lost > 4.0 * before,
            "the control should click: {lost} vs {before}"
        );
    }
}
