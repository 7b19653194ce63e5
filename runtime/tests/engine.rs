//! The engine: swaps, migration by key, safety guards, scripted surgery.

use kanon_compiler::{compile, Options, Program};
use kanon_lang::Source;
use kanon_runtime::engine::{engine, Config};
use kanon_runtime::render::{render_script, Swap};

const SR: usize = 48_000;

fn prog(text: &str) -> Program {
    compile(&Source::new("t.kn", text), Options::default()).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(|d| d.render(&Source::new("t.kn", text)))
                .collect::<String>()
        )
    })
}

/// Cell values by key.
type Cells = Vec<(String, f64)>;

/// State values by key (cells only).
fn cells(p: &Program, state: &[f64]) -> Cells {
    p.layout
        .cells
        .iter()
        .map(|c| (c.key.to_string(), state[c.offset]))
        .collect()
}

/// Runs `a` for `frames` frames, swaps to `b` (zero-frame block), and returns the cell
/// values of `a` before and of `b` right after the swap.
fn swap_states(a: &str, b: &str, frames: usize) -> (Cells, Cells) {
    let pa = prog(a);
    let ch = pa.channels();
    let (mut h, mut p) = engine(pa, Config::exact(SR as f64, ch, 256));
    let mut out = vec![0f32; frames * ch];
    p.process(&mut out);
    let before = cells(p.program(), p.state());
    h.commit(prog(b)).ok().expect("commit");
    p.process(&mut []);
    let after = cells(p.program(), p.state());
    assert_eq!(h.collect(), 1, "the old program comes back to be freed");
    (before, after)
}

/// Every key of `after` that is also in `before` has the same value; returns how many.
fn assert_carried(before: &[(String, f64)], after: &[(String, f64)]) -> usize {
    let mut n = 0;
    for (k, v) in after {
        if let Some((_, old)) = before.iter().find(|(ok, _)| ok == k) {
            assert_eq!(v.to_bits(), old.to_bits(), "{k} was not carried");
            n += 1;
        }
    }
    n
}

fn value(state: &[(String, f64)], key: &str) -> f64 {
    state
        .iter()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no key {key} in {state:?}"))
        .1
}

const BASE: &str = "~a: saw 55 # lpf 800 0.7
~b: sine 3
~fb: (~a # delay 0.1 + ~fb * 0.5) # onepole 0.3
out: ~a * 0.3 + ~b * 0.1 + ~fb * 0.2
";

#[test]
fn render_through_the_processor_is_the_bare_program() {
    let p = prog(BASE);
    let mut state = p.initial_state();
    let direct = kanon_runtime::render::render_from(&p, &mut state, 10_000, 64);
    assert_eq!(kanon_runtime::render(&p, 10_000, 64), direct);
    assert_eq!(kanon_runtime::render(&p, 10_000, 1000), direct);
}

#[test]
fn adding_a_bus_keeps_every_key() {
    let b = format!("{BASE}~new: tri 2 # lpf 300 0.5\no2: ~new * 0.1\n");
    let (before, after) = swap_states(BASE, &b, 10_007);
    assert_eq!(assert_carried(&before, &after), before.len());
    assert!(value(&before, "~a/saw#0.phase") != 0.0);
    assert_eq!(value(&after, "~new/tri#0.phase"), 0.0);
}

#[test]
fn removing_an_unrelated_bus_keeps_the_others() {
    let b = BASE.replace("~b: sine 3\n", "").replace(" + ~b * 0.1", "");
    let (before, after) = swap_states(BASE, &b, 9_999);
    assert_eq!(assert_carried(&before, &after), after.len());
    assert!(after.iter().all(|(k, _)| !k.starts_with("~b/")));
    assert!(value(&after, "~a/lpf#0.y1") != 0.0);
}

#[test]
fn reordering_lines_carries_everything_and_sounds_the_same() {
    let mut lines: Vec<&str> = BASE.lines().collect();
    lines.reverse();
    let b = lines.join("\n");
    let (before, after) = swap_states(BASE, &b, 5_000);
    assert_eq!(assert_carried(&before, &after), before.len());
    assert_eq!(before.len(), after.len());
    // And the output continues bit for bit.
    let plain = kanon_runtime::render(&prog(BASE), 20_000, 256);
    let (swapped, _) = render_script(
        prog(BASE),
        vec![Swap {
            frame: 5_000,
            program: prog(&b),
        }],
        20_000,
        256,
        Config::exact(SR as f64, 1, 256),
    );
    assert_eq!(plain, swapped);
}

#[test]
fn inserting_a_node_elsewhere_keeps_untouched_state() {
    let b = BASE.replace("saw 55 # lpf", "(saw 55 + tri 0.5 * 0.1) # lpf");
    let (before, after) = swap_states(BASE, &b, 7_777);
    let n = assert_carried(&before, &after);
    assert_eq!(n, before.len());
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(value(&after, "~a/tri#0.phase"), 0.0);
}

#[test]
fn changing_a_constant_keeps_phase() {
    let (before, after) = swap_states("out: sine 110", "out: sine 110.5", 4_321);
    assert_eq!(assert_carried(&before, &after), 1);
    assert!(value(&after, "out/sine#0.phase") > 0.0);
}

#[test]
fn thousand_identical_swaps_are_bit_identical() {
    let plain = kanon_runtime::render(&prog(BASE), 1000 * 67 + 500, 256);
    let swaps = (1..=1000)
        .map(|i| Swap {
            frame: i * 67,
            program: prog(BASE),
        })
        .collect();
    let (out, log) = render_script(
        prog(BASE),
        swaps,
        1000 * 67 + 500,
        256,
        Config::exact(SR as f64, 1, 256),
    );
    assert_eq!(log.len(), 1000);
    assert!(log
        .iter()
        .all(|c| c.fresh.is_empty() && c.dropped.is_empty()));
    assert!(
        plain == out,
        "swapping to the same program changed the output"
    );
}

#[test]
fn live_config_is_bit_transparent_below_full_scale() {
    let p = prog(&BASE.replace("out: ", "out: 0.5 * "));
    let exact = kanon_runtime::render(&p, 48_000, 256);
    assert!(exact.iter().all(|x| x.abs() <= 1.0));
    let (_h, mut proc) = engine(&p, Config::live(48_000.0, 1));
    let mut live = vec![0f32; 48_000];
    for c in live.chunks_mut(256) {
        proc.process(c);
    }
    assert_eq!(live, exact);
    assert_eq!(
        proc.stats()
            .limited
            .load(std::sync::atomic::Ordering::Relaxed),
        0
    );
}

#[test]
fn limiter_keeps_output_within_full_scale_and_can_be_off() {
    let p = prog("out: sine 110 * 4");
    let (_h, mut proc) = engine(&p, Config::live(48_000.0, 1));
    let mut out = vec![0f32; 48_000];
    proc.process(&mut out);
    assert!(out.iter().all(|x| x.abs() <= 1.0));
    assert!(out.iter().any(|x| x.abs() > 0.9));
    let off = Config {
        limiter: false,
        ..Config::live(48_000.0, 1)
    };
    let (_h, mut proc) = engine(&p, off);
    proc.process(&mut out);
    assert!(out.iter().any(|x| x.abs() > 3.9));
}

#[test]
fn non_finite_output_is_silenced_and_state_recovers() {
    // Doubles every sample: overflows to inf after ~1030 samples, then NaN.
    let p = prog("~x: ~x * 2 + 1\nout: ~x * 1e-300 + sine 100 * 0.5");
    let (_h, mut proc) = engine(&p, Config::live(48_000.0, 1));
    let mut out = vec![0f32; 48_000];
    for c in out.chunks_mut(256) {
        proc.process(c);
    }
    assert!(out.iter().all(|x| x.is_finite()));
    let resets = proc
        .stats()
        .nonfinite
        .load(std::sync::atomic::Ordering::Relaxed);
    // ~x overflows about every 1030 samples after each reset, so roughly one block in
    // four is silenced, and every other block sounds: never poisoned for good.
    assert!((30..=60).contains(&resets), "resets {resets}");
    let sounding = out
        .chunks(256)
        .filter(|c| c.iter().any(|x| *x != 0.0))
        .count();
    assert_eq!(
        sounding as u64 + resets,
        188,
        "blocks that neither sounded nor were reset"
    );
}

/// The guard remembers where it first saw a non-finite value: the cell (whose key names
/// the bus) or, when no state went bad, the output channel; later ones do not replace it.
#[test]
fn the_first_non_finite_value_is_traced_to_its_bus() {
    use kanon_runtime::engine::NonFinite;
    let p = prog("~a: sine 3\n~x: ~x * 2 + 1\nout: ~x * 1e-300 + ~a");
    let (_h, mut proc) = engine(&p, Config::live(48_000.0, 1));
    assert_eq!(proc.stats().first_nonfinite(), None);
    let mut out = vec![0f32; 4096];
    for c in out.chunks_mut(256) {
        proc.process(c);
    }
    let (generation, at) = proc.stats().first_nonfinite().expect("recorded");
    assert_eq!(generation, 0);
    let NonFinite::Cell(i) = at else {
        panic!("{at:?}")
    };
    assert_eq!(p.layout.cells[i].key.to_string(), "~x'");

    // Only the output: channel 2 of a stereo program.
    let q = prog("out: [sine 1, 0 / 0]");
    let (_h, mut proc) = engine(&q, Config::live(48_000.0, 2));
    let mut out = vec![0f32; 512];
    proc.process(&mut out);
    assert_eq!(
        proc.stats().first_nonfinite(),
        Some((0, NonFinite::Output(1)))
    );
}

#[test]
fn nan_in_a_delay_line_is_cleared() {
    // 0/0 once, at sample 1000, enters a feedback delay.
    let p = prog(
        "~n: (~n + 1)
~spike: select (~n == 1000) (0 / 0) 0
~fb: (~spike + sine 200 * 0.1 + ~fb # delay 0.01 * 0.5)
out: ~fb",
    );
    let (_h, mut proc) = engine(&p, Config::live(48_000.0, 1));
    let mut out = vec![0f32; 24_000];
    for c in out.chunks_mut(128) {
        proc.process(c);
    }
    assert!(out.iter().all(|x| x.is_finite()));
    assert!(
        proc.stats()
            .nonfinite
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 1
    );
    assert!(
        out[20_000..].iter().any(|x| x.abs() > 0.05),
        "stayed silent"
    );
    assert!(proc.state().iter().all(|x| x.is_finite()));
}

#[test]
fn mono_program_plays_on_every_device_channel_and_extra_channels_drop() {
    let mono = prog("out: sine 100 * 0.5");
    let (_h, mut p) = engine(&mono, Config::exact(48_000.0, 2, 64));
    let mut out = vec![0f32; 200];
    p.process(&mut out);
    let ref_ = kanon_runtime::render(&mono, 100, 64);
    for f in 0..100 {
        assert_eq!(out[2 * f], ref_[f]);
        assert_eq!(out[2 * f + 1], ref_[f]);
    }
    let three = prog("out: [sine 100, sine 200, sine 300]");
    let (_h, mut p) = engine(&three, Config::exact(48_000.0, 2, 64));
    p.process(&mut out);
    let ref_ = kanon_runtime::render(&three, 100, 64);
    for f in 0..100 {
        assert_eq!(out[2 * f..2 * f + 2], ref_[3 * f..3 * f + 2]);
    }
    let stereo = prog("o1: sine 100\no2: sine 200");
    let (_h, mut p) = engine(&stereo, Config::exact(48_000.0, 3, 64));
    let mut out = vec![1f32; 300];
    p.process(&mut out);
    assert!(out.chunks(3).all(|f| f[2] == 0.0));
}

/// Frames (from `from`) where an impulse written at frame `at` comes out of a delay whose
/// time glides from `d0` toward `d1` samples from frame `swap` on (see `delay`'s formula).
fn glided_arrival(at: usize, d0: f64, d1: f64, swap: usize) -> std::ops::Range<usize> {
    let glide = kanon_compiler::builtins::MAX_GLIDE;
    let d = |n: usize| {
        if n < swap {
            d0
        } else {
            (d0 + glide * (n - swap + 1) as f64).min(d1)
        }
    };
    let n = (at..).find(|&n| (n - at) as f64 >= d(n)).unwrap();
    n - 1..n + 2
}

#[test]
fn delay_contents_survive_a_delay_time_change() {
    // An impulse at sample 0 enters a delay; changing the delay time must not lose it:
    // the read head glides toward the longer time and meets the impulse on the way.
    let a = "~imp: select (phasor 1 == 0) 1 0\nout: ~imp # delay 0.5";
    let b = "~imp: select (phasor 1 == 0) 1 0\nout: ~imp # delay 0.75";
    let (out, log) = render_script(
        prog(a),
        vec![Swap {
            frame: 10_000,
            program: prog(b),
        }],
        SR,
        256,
        Config::exact(SR as f64, 1, 256),
    );
    assert!(log[0].fresh.is_empty() && log[0].resized.is_empty());
    let window = glided_arrival(0, 24_000.0, 36_000.0, 10_000);
    let at: Vec<usize> = (0..SR).filter(|&i| out[i] != 0.0).collect();
    assert!(!at.is_empty(), "the impulse was lost");
    assert!(
        at.iter().all(|i| window.contains(i)),
        "{at:?} not in {window:?}"
    );
    // Read at 3/4 speed through a linear interpolator, the impulse is spread over at
    // most three frames, but not lost or scaled away.
    let peak = at.iter().map(|&i| out[i]).fold(0.0, f32::max);
    assert!(peak >= 0.5, "peak {peak}");
}

#[test]
fn delay_contents_survive_a_buffer_resize() {
    // 0.5 s in a 1 s buffer, then 1.5 s: the buffer grows, the recent past is kept.
    let a = "~imp: select (phasor 1 == 0) 1 0\nout: ~imp # delay 0.5";
    let b = "~imp: select (phasor 1 == 0) 1 0\nout: ~imp # delay 1.5";
    let (out, log) = render_script(
        prog(a),
        vec![Swap {
            frame: 10_000,
            program: prog(b),
        }],
        2 * SR,
        256,
        Config::exact(SR as f64, 1, 256),
    );
    assert_eq!(log[0].resized, ["out/delay#0.buf"]);
    // The impulse from frame 0, written before the resize, is met by the gliding read
    // head. (`phasor 1` does not return to exactly 0 after a second, so it is the only one.)
    let first = glided_arrival(0, 24_000.0, 72_000.0, 10_000);
    let at: Vec<usize> = (0..2 * SR).filter(|&i| out[i] != 0.0).collect();
    assert!(
        !at.is_empty() && at.iter().all(|i| first.contains(i)),
        "{at:?} not in {first:?}"
    );
}

/// Largest |x[n] − x[n−1]| over `range`.
fn max_step(x: &[f32], range: std::ops::Range<usize>) -> f32 {
    range.map(|n| (x[n] - x[n - 1]).abs()).fold(0.0, f32::max)
}

fn assert_no_click(a: &str, b: &str) {
    let swap_at = SR + 123;
    let (out, log) = render_script(
        prog(a),
        vec![Swap {
            frame: swap_at,
            program: prog(b),
        }],
        2 * SR,
        256,
        Config::live(SR as f64, 1),
    );
    assert!(log[0].fresh.is_empty(), "{:?}", log[0].fresh);
    let before = max_step(&out, swap_at - SR..swap_at - 10);
    let around = max_step(&out, swap_at - 10..swap_at + 11);
    assert!(
        around <= before,
        "click: step {around} at the swap, at most {before} before\n{a}\n→ {b}"
    );
}

#[test]
fn no_click_sine_pitch_change() {
    assert_no_click("out: sine 110 * 0.5", "out: sine 110.5 * 0.5");
}

#[test]
fn no_click_filter_cutoff_change() {
    assert_no_click(
        "out: saw 55 # lpf 400 0.9 * 0.5",
        "out: saw 55 # lpf 1200 0.9 * 0.5",
    );
}

#[test]
fn no_click_fm_index_change() {
    assert_no_click(
        "out: sine (220 + sine 110 * 300) * 0.5",
        "out: sine (220 + sine 110.5 * 340) * 0.5",
    );
}

#[test]
fn no_click_feedback_delay_time_change_smoothed() {
    // The delay time glides through `lag` (its state is carried too), so the read head
    // moves continuously: a tape-style bend, no click.
    assert_no_click(
        "~fb: ~out # delay (lag 0.1 0.05) * 0.5\n~out: saw 110 # lpf 2000 0.7 * 0.3 + ~fb\nout: ~out",
        "~fb: ~out # delay (lag 0.13 0.05) * 0.5\n~out: saw 110 # lpf 2000 0.7 * 0.3 + ~fb\nout: ~out",
    );
}

/// A raw constant delay time changed by an edit: the delay's read position is keyed
/// state (`.time`) that glides to the new time at most a quarter sample per sample, so
/// the read head bends like tape instead of jumping (it measured a step of 0.42
/// against 0.11 before the glide existed).
#[test]
fn no_click_feedback_delay_time_change_raw() {
    assert_no_click(
        "~fb: ~out # delay 0.1 * 0.5\n~out: saw 110 # lpf 2000 0.7 * 0.3 + ~fb\nout: ~out",
        "~fb: ~out # delay 0.13 * 0.5\n~out: saw 110 # lpf 2000 0.7 * 0.3 + ~fb\nout: ~out",
    );
}

#[test]
fn crossfade_only_for_fresh_state() {
    let a = "out: sine 220 * 0.5";
    let b = "out: sine 220 * 0.5 + saw 3 * 0.1";
    let cfg = Config {
        xfade_frames: 480,
        ..Config::exact(SR as f64, 1, 256)
    };
    let swap_at = 1000;
    let run = |b: &str, cfg| {
        render_script(
            prog(a),
            vec![Swap {
                frame: swap_at,
                program: prog(b),
            }],
            4000,
            256,
            cfg,
        )
        .0
    };
    let hard = run(b, Config::exact(SR as f64, 1, 256));
    let faded = run(b, cfg);
    assert_eq!(hard[..swap_at], faded[..swap_at]);
    assert_ne!(hard[swap_at..swap_at + 480], faded[swap_at..swap_at + 480]);
    assert_eq!(hard[swap_at + 480..], faded[swap_at + 480..]);
    // Halfway through, the new voice (saw, starting at −1) is half there.
    let plain_a = kanon_runtime::render(&prog(a), 4000, 256);
    let i = swap_at + 240;
    let expect = plain_a[i] * 0.5 + hard[i] * 0.5;
    assert!((faded[i] - expect).abs() < 1e-6);
    // A swap that starts nothing fresh is never faded.
    let c = "out: sine 220 * 0.25";
    assert_eq!(run(c, cfg), run(c, Config::exact(SR as f64, 1, 256)));
}

#[test]
fn several_commits_in_one_block_chain_their_migrations() {
    let a = "~x: sine 50\n~y: saw 2\nout: ~x * 0.1";
    let b = "~x: sine 50\nout: ~x * 0.2";
    let c = "~x: sine 50\n~y: saw 2\nout: ~x * 0.3";
    let (mut h, mut p) = engine(prog(a), Config::exact(48_000.0, 1, 64));
    let mut out = vec![0f32; 1000];
    p.process(&mut out);
    let x = value(&cells(p.program(), p.state()), "~x/sine#0.phase");
    h.commit(prog(b)).ok().unwrap();
    h.commit(prog(c)).ok().unwrap();
    p.process(&mut []);
    let after = cells(p.program(), p.state());
    assert_eq!(value(&after, "~x/sine#0.phase"), x);
    // ~y went away in b, so it starts fresh in c.
    assert_eq!(value(&after, "~y/saw#0.phase"), 0.0);
    assert_eq!(h.collect(), 2);
    assert_eq!(
        p.stats().swaps.load(std::sync::atomic::Ordering::Relaxed),
        2
    );
}
