//! Patterns as signals: values and onsets at the exact frame, the clock kept exactly for
//! hours, tempo edits keeping the position, edits landing on the beat grid, sample voices
//! ringing through edits, the same output at every block size and from the interpreter.

use kanon_compiler::{compile, interp, Block, Options, Program};
use kanon_lang::Source;
use kanon_runtime::engine::Config;
use kanon_runtime::render::{render, render_script, Swap};

const SR: usize = 48_000;

fn prog(text: &str) -> Program {
    let src = Source::new("t.kn", text);
    compile(&src, Options::default())
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()))
}

/// Frames where the (mono) output is 1.
fn ones(out: &[f32]) -> Vec<usize> {
    (0..out.len()).filter(|&i| out[i] == 1.0).collect()
}

/// The first frame at or after cycle `k/n` at `num/den` cycles per second.
fn onset(k: u64, n: u64, num: u64, den: u64) -> usize {
    // ceil(k/n · den/num · sr)
    let a = k * den * SR as u64;
    let b = n * num;
    a.div_ceil(b) as usize
}

#[test]
fn a_pattern_is_piecewise_constant_with_phonons_meaning() {
    // examples_verified/02_pattern_modulation.ph: each value lasts a quarter cycle, 0.5 s.
    let out = render(&prog("tempo: 0.5\nout: \"110 220 330 440\""), 4 * SR, 512);
    for (k, v) in [110.0, 220.0, 330.0, 440.0].iter().enumerate() {
        let span = &out[k * SR / 2..(k + 1) * SR / 2];
        assert!(span.iter().all(|x| x == v), "step {k}");
    }
    assert_eq!(out[2 * SR], 110.0, "the next cycle starts again");
    // Rests are 0; note names are hertz (a4 = 440, c4 = middle C, bare c = c4).
    let out = render(&prog("out: \"a4 ~ c c5\""), SR, 64);
    assert_eq!(out[0], 440.0);
    assert_eq!(out[SR / 4], 0.0);
    let hz = |midi: f64| (440.0 * 2f64.powf((midi - 69.0) / 12.0)) as f32;
    assert_eq!(out[SR / 2], hz(60.0));
    assert_eq!(out[3 * SR / 4], hz(72.0));
}

#[test]
fn onsets_trigger_at_the_first_frame_at_or_after_them() {
    let out = render(&prog("tempo: 0.37\nout: trig \"x*7\""), 10 * SR, 777);
    let want: Vec<usize> = (0..)
        .map(|k| onset(k, 7, 37, 100))
        .take_while(|&f| f < 10 * SR)
        .collect();
    assert_eq!(ones(&out), want);
    // A gate is 1 while an event covers the frame.
    let g = render(&prog("out: gate \"x ~ x x\""), SR, 100);
    assert!(g[..SR / 4].iter().all(|&x| x == 1.0));
    assert!(g[SR / 4..SR / 2].iter().all(|&x| x == 0.0));
    assert!(g[SR / 2..].iter().all(|&x| x == 1.0));
}

#[test]
fn three_hours_at_an_odd_tempo_without_drift() {
    // 3 hours of a 1/7-cycle pattern at 0.37 cps, rendered block by block; the last onset
    // must land on exactly the frame the exact arithmetic gives.
    let p = prog("tempo: 0.37\nout: trig \"x*7\"");
    let total = 3 * 3600 * SR;
    let mut state = p.initial_state();
    let block = 48_000;
    let mut out = vec![0f32; block];
    let mut last = None;
    let mut count = 0u64;
    let mut frame = 0;
    while frame < total {
        p.process(Block::new(&mut state, &mut out).at(frame as u64));
        for (i, &x) in out.iter().enumerate() {
            if x == 1.0 {
                last = Some(frame + i);
                count += 1;
            }
        }
        frame += block;
    }
    let mut k = 0;
    while onset(k + 1, 7, 37, 100) < total {
        k += 1;
    }
    assert_eq!(last, Some(onset(k, 7, 37, 100)));
    assert_eq!(count, k + 1, "every onset once");
}

#[test]
fn every_block_size_gives_the_same_bits() {
    let text = "tempo: 0.6\n\
        ~d: s \"bd*2 [sn cp] hh(3,8,1)\" # gain \"1 0.7\" # speed \"<1 1.5>\"\n\
        ~m: saw \"<c3 e3> g3 [a3 b3]\" # lpf (\"400 2000\" * 2) 0.7\n\
        out: [~d + ~m * 0.2, ~d * trig \"x*4\" + \"0.1 0.2\"]";
    let p = prog(text);
    assert!(p.wait_for_samples(std::time::Duration::from_secs(30)));
    let reference = render(&p, 3 * SR, 48_000);
    for block in [1, 7, 64, 512] {
        assert!(render(&p, 3 * SR, block) == reference, "block {block}");
    }
    assert!(reference.iter().any(|&x| x.abs() > 0.1), "it plays");
}

#[test]
fn the_interpreter_agrees_with_the_code() {
    let p =
        prog("tempo: 0.9\nout: s \"bd*3 ~ hh\" + sine \"110 <220 330>\" * 0.1 + trig \"x(3,8)\"");
    assert!(p.wait_for_samples(std::time::Duration::from_secs(30)));
    let res = p.resources();
    let frames = 2 * SR;
    let (mut s1, mut s2) = (p.initial_state(), p.initial_state());
    let (mut o1, mut o2) = (vec![0f32; frames], vec![0f32; frames]);
    for (i, c) in o1.chunks_mut(300).enumerate() {
        p.process(Block {
            resources: &res,
            ..Block::new(&mut s1, c).at((i * 300) as u64)
        });
    }
    interp::Interp::new(&p.ir, &p.layout).process(Block {
        resources: &res,
        ..Block::new(&mut s2, &mut o2)
    });
    assert!(o1 == o2);
}

/// Renders `a`, swapping to `b` at frame `at`.
fn swapped(a: &str, b: &str, at: usize, frames: usize) -> Vec<f32> {
    let cfg = Config::exact(SR as f64, 1, 256);
    let (out, log) = render_script(
        prog(a),
        vec![Swap {
            frame: at,
            program: prog(b),
        }],
        frames,
        256,
        cfg,
    );
    assert_eq!(log.len(), 1);
    out
}

#[test]
fn a_tempo_edit_changes_the_speed_from_the_swap_and_keeps_the_position() {
    // Quarter notes at 0.5 cps (every 24000 frames); at frame 30000 (cycle 0.3125) the
    // tempo doubles: the next quarter (cycle 0.5) is 9000 frames later, then every 12000.
    let out = swapped(
        "tempo: 0.5\nout: trig \"x*4\"",
        "tempo: 1\nout: trig \"x*4\"",
        30_000,
        80_000,
    );
    assert_eq!(ones(&out), [0, 24_000, 39_000, 51_000, 63_000, 75_000]);
}

#[test]
fn an_edited_pattern_lands_on_the_beat_grid_without_a_retrigger() {
    // x*4 → x*3 at frame 30000 of a 1 cps cycle: the old onsets until then, then the new
    // pattern's next onset (cycle 2/3), nothing at the swap frame itself.
    let out = swapped("out: trig \"x*4\"", "out: trig \"x*3\"", 30_000, 2 * SR);
    assert_eq!(
        ones(&out),
        [0, 12_000, 24_000, 32_000, 48_000, 64_000, 80_000]
    );
    // A value pattern takes its new value at the swap frame.
    let out = swapped("out: \"1 2\"", "out: \"5 6\"", 6_000, SR);
    assert_eq!(out[5_999], 1.0);
    assert_eq!(out[6_000], 5.0);
    assert_eq!(out[24_000], 6.0);
}

#[test]
fn a_ringing_sample_rings_on_through_an_edit() {
    // A crash at cycle 0; at 0.1 s the pattern becomes a rest then a kick at the half
    // cycle: until then the output is the crash's own tail, bit for bit.
    let a = "~d: s \"cr\"\nout: ~d";
    let b = "~d: s \"~ bd\"\nout: ~d";
    let alone = render(&prog(a), SR, 256);
    let edited = swapped(a, b, SR / 10, SR);
    assert!(alone[SR / 10..SR / 2] == edited[SR / 10..SR / 2]);
    assert!(
        edited[SR / 10..SR / 10 + 100].iter().any(|&x| x != 0.0),
        "still ringing"
    );
    // And the kick comes in on time on top of it.
    assert!(edited[SR / 2..SR / 2 + 2000] != alone[SR / 2..SR / 2 + 2000]);
}

#[test]
fn patterns_as_pattern_functions_and_dollar_mean_the_same() {
    let forms = [
        "out: trig (fast 2 \"x ~\")",
        "out: trig (\"x ~\" $ fast 2)",
        "out: trig (fast 2 $ \"x ~\")",
        "out: trig (\"x ~\" # fast 2)",
        "~t: fast 2\nout: trig (\"x ~\" $ ~t)",
    ];
    let want = render(&prog(forms[0]), SR, 512);
    assert_eq!(ones(&want), [0, SR / 2]);
    for f in &forms[1..] {
        assert!(render(&prog(f), SR, 512) == want, "{f}");
    }
    // A chain applies left to right, as Phonon's: `every 2 rev`, then `fast 2`; and
    // functions joined by `$` compose, the right one applied first.
    let a = render(&prog("out: \"1 2\" $ every 2 rev $ fast 2"), 2 * SR, 512);
    let b = render(&prog("out: fast 2 (every 2 rev \"1 2\")"), 2 * SR, 512);
    let c = render(&prog("out: (fast 2 $ every 2 rev) $ \"1 2\""), 2 * SR, 512);
    assert!(a == b);
    assert!(a == c);
}

#[test]
fn bpm_is_four_beats_to_the_cycle() {
    // 120 bpm = 0.5 cycles per second: a cycle of x*4 is four beats of half a second.
    let out = render(&prog("bpm: 120\nout: trig \"x*4\""), 2 * SR, 512);
    assert_eq!(ones(&out), [0, 24_000, 48_000, 72_000]);
}

/// Found by the fuzzer: patterns (a clock) together with a bank (the chunked loop) but no
/// sampler.
#[test]
fn patterns_next_to_a_bank() {
    let out = render(
        &prog("~b: sum i 0..16: sine (55 * (i + 1)) * 0.01\nout: ~b + trig \"x*2\""),
        SR,
        512,
    );
    assert!(out[0] > 0.9 && out[SR / 2] > 0.9);
}
