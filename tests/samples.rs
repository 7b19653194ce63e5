//! `s` end to end: a sound plays at its own level, at the exact frame, in mono or equal-
//! power stereo; controls shape it; missing sounds are warnings; a `--samples` folder wins
//! over the built-in kit.

use kanon_compiler::{compile, Compiler, Options, Program};
use kanon_lang::Source;
use kanon_runtime::render::render;
use std::sync::Arc;

const SR: usize = 48_000;

fn prog_with(compiler: &mut Compiler, text: &str) -> Program {
    let src = Source::new("t.kn", text);
    compiler
        .compile(&src, Options::default())
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()))
}

fn prog(text: &str) -> Program {
    prog_with(&mut Compiler::new(), text)
}

fn kit(name: &str) -> Vec<f32> {
    kanon_samples::kit::find(name).unwrap().render(SR as f64)
}

#[test]
fn a_sound_plays_at_its_own_level_from_its_onset() {
    let bd = kit("bd");
    let out = render(&prog("out: s \"~ bd\""), SR, 256);
    assert!(out[..SR / 2].iter().all(|&x| x == 0.0));
    let n = bd.len().min(SR / 2);
    assert!(out[SR / 2..SR / 2 + n] == bd[..n], "the file, bit for bit");
}

#[test]
fn gain_scales_and_pan_makes_equal_power_stereo() {
    let bd = kit("bd");
    let out = render(&prog("out: s \"bd\" # gain 0.5"), 2000, 64);
    for i in 0..2000 {
        assert_eq!(out[i], (f64::from(bd[i]) * 0.5) as f32);
    }
    let st = render(&prog("out: s \"bd\" # pan 0"), 2000, 64);
    assert_eq!(st.len(), 4000, "two channels");
    for i in 0..2000 {
        assert_eq!(st[2 * i], bd[i], "hard left is the file");
        assert_eq!(st[2 * i + 1], 0.0);
    }
    let c = render(&prog("out: s \"bd\" # pan 0.5"), 2000, 64);
    let r = std::f64::consts::FRAC_1_SQRT_2;
    for i in (0..2000).step_by(97) {
        assert!((f64::from(c[2 * i]) - f64::from(bd[i]) * r).abs() < 1e-6);
        assert_eq!(c[2 * i], c[2 * i + 1]);
    }
}

#[test]
fn speed_and_begin_change_what_plays() {
    let bd = kit("bd");
    // Twice as fast: frame k is the file's frame 2k.
    let out = render(&prog("out: s \"bd\" # speed 2"), 1000, 64);
    for k in 0..400 {
        assert!((out[k] - bd[2 * k]).abs() < 1e-6, "{k}");
    }
    // Begin halfway: the second half of the file.
    // (After the 1 ms fade-in a start inside the file gets.)
    let out = render(&prog("out: s \"bd\" # begin 0.5"), 200, 64);
    let half = (bd.len() as f64 * 0.5) as usize;
    assert!((out[100] - bd[half + 100]).abs() < 1e-6);
}

#[test]
fn missing_sounds_are_warned_about_and_the_rest_plays() {
    let p = prog("out: s \"bd nosuchsound\"");
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].message.contains("nosuchsound"));
    let out = render(&p, SR, 512);
    assert!(out[..100].iter().any(|&x| x != 0.0), "bd plays");
    // Where the missing sound would start, only bd's tail.
    let alone = render(&prog("out: s \"bd ~\""), SR, 512);
    assert!(out == alone);
}

#[test]
fn a_folder_wins_over_the_kit_and_indices_wrap() {
    let dir = std::env::temp_dir().join(format!("kanonc-samples-{}", std::process::id()));
    let bd = dir.join("bd");
    std::fs::create_dir_all(&bd).unwrap();
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: SR as u32,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    for (i, level) in [0.25f32, 0.5].iter().enumerate() {
        let mut w = hound::WavWriter::create(bd.join(format!("{i}.wav")), spec).unwrap();
        for _ in 0..100 {
            w.write_sample(*level).unwrap();
        }
        w.finalize().unwrap();
    }
    let mut cfg = kanon_samples::LibraryConfig::isolated(SR as u32);
    cfg.dirs = vec![dir.clone()];
    let lib = Arc::new(kanon_samples::Library::open(cfg));
    let mut c = Compiler::with_samples(lib);
    let out = render(&prog_with(&mut c, "out: s \"bd bd:1 bd:2 bd:-1\""), SR, 512);
    assert_eq!(out[10], 0.25);
    assert_eq!(out[SR / 4 + 10], 0.5);
    assert_eq!(out[SR / 2 + 10], 0.25, "2 wraps to 0");
    assert_eq!(out[3 * SR / 4 + 10], 0.5, "-1 wraps to the last");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn phonons_verified_sample_programs_play() {
    // examples_verified/03_sample_playback.ph and 05_complete_mix.ph (ekg/phonon, MIT).
    for text in [
        "tempo: 0.5\nout: s \"bd sn hh*4 cp\" * 0.8\n",
        "tempo: 0.5\n~tone: sine 440 * 0.1\n~lfo: sine 0.25 * 0.5 + 0.5\n~bass: saw 55 # lpf (~lfo * 2000 + 500) 0.8\n~drums: s \"bd sn hh*4 cp\"\nout: ~tone + ~bass * 0.3 + ~drums * 0.6\n",
    ] {
        let p = compile(&Source::new("t.kn", text), Options::default()).unwrap();
        assert!(p.warnings.is_empty());
        let out = render(&p, 2 * SR, 512);
        // Every quarter of the cycle (0.5 s) starts with a hit.
        for q in 0..4 {
            let at = q * SR / 2;
            assert!(out[at..at + 2000].iter().any(|&x| x.abs() > 0.05), "{text} {q}");
        }
    }
}

#[test]
fn ar_on_sounds_shapes_every_voice() {
    // A 10 ms attack: the start rises from 0; a 20 ms release after it.
    let plain = render(&prog("out: s \"bd\""), 4800, 64);
    let shaped = render(&prog("out: s \"bd\" # ar 0.01 0.02"), 4800, 64);
    assert!(shaped[0].abs() < plain[0].abs() + 1e-9);
    assert!(shaped[100].abs() < plain[100].abs(), "rising");
    assert!(shaped[2000..].iter().all(|&x| x == 0.0), "over after 30 ms");
    assert!(plain[2000..].iter().any(|&x| x != 0.0));
    let same = render(
        &prog("out: s \"bd\" # attack 0.01 # release 0.02"),
        4800,
        64,
    );
    assert!(same == shaped);
}

#[test]
fn envelopes_on_sounds_and_on_signals_coexist() {
    // Phonon's `ad` on sounds is `ar` per voice; on a signal, `ar` is Faust's `en.ar`
    // on that trigger (here the sounds' own output is not a sound pattern any more).
    let ar = render(&prog("out: s \"bd\" # ar 0.01 0.02"), 4800, 64);
    let ad = render(&prog("out: s \"bd\" # ad 0.01 0.02"), 4800, 64);
    assert!(ar == ad);
    let signal = render(&prog("out: trig \"x\" # ar 0.01 0.02"), 4800, 64);
    assert_eq!(signal[0], 1.0 / 480.0);
    assert_eq!(signal[479], 1.0);
    assert!(signal[2000..].iter().all(|&x| x == 0.0));
    // `adsr` needs a gate: on sounds it is an error that says what to write.
    let src = Source::new("t.kn", "out: s \"bd\" # adsr 0.01 0.1 0.5 0.2");
    let d = Compiler::new()
        .compile(&src, Options::default())
        .err()
        .expect("an error");
    let text = d[0].render(&src);
    assert!(text.contains("`adsr` follows a gate"), "{text}");
    assert!(text.contains("# ar 0.001 0.1"), "{text}");
}

#[test]
fn legato_and_cut_end_voices() {
    // Legato 0.5 of a quarter-cycle event at 1 cps: 125 ms of sound at most.
    let out = render(&prog("out: s \"oh ~ ~ ~\" # legato 0.5"), 48_000, 256);
    assert!(out[6_500..].iter().all(|&x| x == 0.0));
    assert!(out[..5_000].iter().any(|&x| x != 0.0));
    // A cut group: the second hat stops the first within a millisecond.
    let cut = render(&prog("out: s \"oh oh\" # cut 1"), 48_000, 256);
    let alone = render(&prog("out: s \"oh ~\""), 48_000, 256);
    // Past the second onset plus 1 ms, only the second voice sounds: the first half of
    // `cut` continued as `alone`'s tail would differ.
    let second = render(&prog("out: s \"~ oh\""), 48_000, 256);
    assert!(cut[24_000 + 48..30_000] == second[24_000 + 48..30_000]);
    assert!(alone[24_000 + 48..30_000] != second[24_000 + 48..30_000]);
}
