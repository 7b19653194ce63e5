//! The engine's messages: parameter values, taps (a recording is one), programs waiting
//! out a crossfade, and the absolute frame position every block is given.

use kanon_compiler::ir::{BinOp, Builder, Key, Op};
use kanon_compiler::key::{Path, Root};
use kanon_compiler::{compile, Compiler, Options, Program};
use kanon_lang::Source;
use kanon_runtime::engine::{engine, Config, TapSource, MAX_TAPS};

fn prog(text: &str) -> Program {
    compile(&Source::new("t.kn", text), Options::default()).expect("compiles")
}

/// `out = param slot`, tap 0 = a frame counter, tap 1 = the parameter.
fn param_program(slot: u32) -> Program {
    let mut b = Builder::new(48_000.0);
    let site = Path::root(Root::Bus("count".into())).call("counter", 0, 0);
    let c = b.cell(Key::new(&site, "n"), 0.0).unwrap();
    let n = b.read(c);
    let one = b.constant(1.0);
    let next = b.binary(BinOp::Add, n, one);
    b.set_next(c, next);
    let v = b.add(Op::Param(slot));
    let p = b.program_mut();
    p.outputs = vec![v];
    p.taps = vec![n, v];
    Compiler::new().compile_ir(b.finish(), false).unwrap()
}

#[test]
fn a_parameter_takes_effect_at_the_next_block_and_outlives_swaps() {
    let (mut h, mut p) = engine(param_program(2), Config::exact(48_000.0, 1, 64));
    let mut out = vec![0f32; 64];
    p.process(&mut out);
    assert!(out.iter().all(|&x| x == 0.0));
    h.set_param(2, 0.75).unwrap();
    assert_eq!(out[0], 0.0, "nothing changes before the next block");
    p.process(&mut out);
    assert!(out.iter().all(|&x| x == 0.75));
    // A new program reading the same slot sees the value: it belongs to the engine.
    h.commit(param_program(2)).ok().unwrap();
    p.process(&mut out);
    assert!(out.iter().all(|&x| x == 0.75));
    assert_eq!(p.params()[2], 0.75);
    assert_eq!(
        p.stats().params.load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    // Slots beyond the block are refused on the control side.
    assert!(h.set_param(Config::exact(1.0, 1, 1).params, 1.0).is_err());
}

#[test]
fn an_output_tap_records_exactly_what_is_played() {
    let (mut h, mut p) = engine(
        prog("out: [sine 110, saw 3] * 0.5"),
        Config::live(48_000.0, 2),
    );
    let (tx, mut rx) = rtrb::RingBuffer::new(1 << 16);
    let tap = h.add_tap(TapSource::Output, tx).unwrap();
    let mut out = vec![0f32; 2 * 3000];
    for c in out.chunks_mut(2 * 700) {
        p.process(c);
    }
    let mut got = vec![0f32; out.len()];
    let (r, _) = rx.pop_partial_slice(&mut got);
    assert_eq!(r, &out[..]);
    assert_eq!(tap.dropped(), 0);
    // Removed: no more samples, and the ring comes back to be freed on this side.
    h.remove_tap(&tap).unwrap();
    p.process(&mut out[..200]);
    assert_eq!(rx.slots(), 0);
    assert_eq!(h.collect(), 0, "a tap is not a program");
    assert!(rx.is_abandoned(), "the tap's ring was freed");
}

#[test]
fn a_full_tap_drops_and_counts_instead_of_waiting() {
    let (mut h, mut p) = engine(prog("out: sine 110"), Config::exact(48_000.0, 1, 64));
    let (tx, _rx) = rtrb::RingBuffer::new(100);
    let tap = h.add_tap(TapSource::Output, tx).unwrap();
    let mut out = vec![0f32; 256];
    p.process(&mut out);
    assert_eq!(tap.dropped(), 156);
}

#[test]
fn a_program_tap_keeps_its_width_across_edits() {
    let (mut h, mut p) = engine(param_program(0), Config::exact(48_000.0, 1, 16));
    let (tx, mut rx) = rtrb::RingBuffer::new(1 << 12);
    h.add_tap(TapSource::Program { width: 3 }, tx).unwrap();
    h.set_param(0, 0.5).unwrap();
    let mut out = vec![0f32; 10];
    p.process(&mut out);
    // A program with no taps: zeros of the same width.
    h.commit(prog("out: 1")).ok().unwrap();
    p.process(&mut out[..4]);
    let mut got = vec![0f32; 3 * 14];
    let (r, _) = rx.pop_partial_slice(&mut got);
    assert_eq!(r.len(), 3 * 14);
    for f in 0..10 {
        assert_eq!(&r[3 * f..3 * f + 3], &[f as f32, 0.5, 0.0]);
    }
    assert!(r[30..].iter().all(|&x| x == 0.0));
}

#[test]
fn taps_are_limited_and_a_refused_ring_comes_back() {
    let (mut h, _p) = engine(prog("out: 0"), Config::exact(48_000.0, 1, 16));
    for _ in 0..MAX_TAPS {
        let (tx, _rx) = rtrb::RingBuffer::<f32>::new(4);
        h.add_tap(TapSource::Output, tx).unwrap();
    }
    let (tx, _rx) = rtrb::RingBuffer::<f32>::new(4);
    assert!(h.add_tap(TapSource::Output, tx).is_err());
}

#[test]
fn frames_count_from_the_start_whatever_the_block_sizes() {
    let (_h, mut p) = engine(prog("out: 0"), Config::exact(48_000.0, 2, 100));
    let mut out = vec![0f32; 2 * 1000];
    let mut total = 0;
    for n in [1usize, 7, 250, 0, 1000] {
        p.process(&mut out[..2 * n]);
        total += n as u64;
        assert_eq!(p.frame(), total);
    }
}

#[test]
fn parameters_are_applied_during_a_crossfade_and_programs_wait_for_its_end() {
    let cfg = Config {
        xfade_frames: 100,
        ..Config::exact(48_000.0, 1, 64)
    };
    let (mut h, mut p) = engine(prog("out: sine 100"), cfg);
    let mut out = vec![0f32; 64];
    p.process(&mut out);
    h.commit(prog("out: saw 200")).ok().unwrap(); // fresh state: crossfades
    p.process(&mut out[..10]);
    assert_eq!(
        h.stats()
            .generation
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    h.commit(param_program(1)).ok().unwrap();
    h.set_param(1, 0.25).unwrap();
    p.process(&mut out[..10]);
    assert_eq!(p.params()[1], 0.25, "applied at once");
    assert_eq!(
        p.program().ir.taps.len(),
        0,
        "the new program waits for the fade"
    );
    p.process(&mut out[..64]);
    assert_eq!(
        p.program().ir.taps.len(),
        0,
        "still fading (84 of 100 frames)"
    );
    p.process(&mut out[..64]); // the fade ends within this block
    p.process(&mut out[..8]);
    assert_eq!(p.program().ir.taps.len(), 2, "then it runs");
    // (crossfading in from the saw over 100 frames, its state being fresh)
    for _ in 0..3 {
        p.process(&mut out[..64]);
    }
    assert!(out[..64].iter().all(|&x| x == 0.25));
    assert_eq!(
        h.stats().swaps.load(std::sync::atomic::Ordering::Relaxed),
        2
    );
}

#[test]
fn the_cycle_position_is_published_for_the_status_line() {
    let (h, mut p) = engine(
        prog("tempo: 0.5\nout: \"1 2\""),
        Config::exact(48_000.0, 1, 64),
    );
    let mut out = vec![0f32; 48_000];
    p.process(&mut out);
    assert_eq!(h.stats().cycle(), 0.5);
    let (h2, mut p2) = engine(prog("out: 1"), Config::exact(48_000.0, 1, 64));
    p2.process(&mut out);
    assert_eq!(h2.stats().cycle(), 0.0, "no patterns, no clock");
}

/// An outside clock (Ableton Link) re-anchors the pattern clock to the sample: `"0 1 2 3"`
/// anchored at cycle 2.25 on frame 1000, at 1.5 cycles a second, steps from 0 to 1 exactly
/// at frame 1000 (inside a block) and then every 8000 frames (a quarter cycle), whatever
/// the tempo of the programs swapped in after it, which start on the same line.
#[test]
fn a_clock_anchor_moves_the_pattern_clock_to_the_sample() {
    use kanon_compiler::ClockAnchor;
    let (mut h, mut p) = engine(
        prog("tempo: 0.5\nout: \"0 1 2 3\""),
        Config::exact(48_000.0, 1, 256),
    );
    let mut out = vec![0f32; 40_000];
    p.process(&mut out[..768]);
    // At 0.5 cps a quarter is 24000 frames: still the first step.
    assert!(out[..768].iter().all(|&x| x == 0.0));
    let anchor = ClockAnchor::new(1000, 2.25, 1.5).unwrap();
    assert_eq!((anchor.cycle, anchor.cps), ((9, 4), (3, 2)));
    h.anchor_clock(anchor).unwrap();
    // 1.5 cps: position·32000 = 72000 + (f − 1000), a step each 8000.
    let want = |f: usize| ((71_000 + f) / 8000 % 4) as f32;
    let mut at = 768;
    let mut swapped = false;
    while at < out.len() {
        if at >= 20_000 && !swapped {
            // An edit at another tempo, then one with no pattern, then one with: the line
            // holds through all of them.
            h.commit(prog("tempo: 2\nout: \"0 1 2 3\" * 1"))
                .map_err(|_| "room")
                .unwrap();
            h.commit(prog("out: sine 3")).map_err(|_| "room").unwrap();
            h.commit(prog("tempo: 0.25\nout: \"0 1 2 3\""))
                .map_err(|_| "room")
                .unwrap();
            swapped = true;
        }
        let n = 256.min(out.len() - at);
        p.process(&mut out[at..at + n]);
        at += n;
    }
    for (f, &x) in out.iter().enumerate().skip(768) {
        assert_eq!(x, want(f), "frame {f}");
    }
    assert_eq!(out[999], 0.0);
    assert_eq!(out[1000], 1.0);
    assert_eq!((out[8999], out[9000]), (1.0, 2.0));
    // The status line's cycle is on the line too: 2.25 + 39000/32000.
    let cycle = f64::from_bits(p.stats().cycle.load(std::sync::atomic::Ordering::Relaxed));
    assert!(
        (cycle - (2.25 + 39_000.0 / 32_000.0)).abs() < 1e-12,
        "{cycle}"
    );
}

#[test]
fn clock_anchors_refuse_what_cannot_be_kept_exactly() {
    use kanon_compiler::ClockAnchor;
    for cps in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e5] {
        let e = ClockAnchor::new(0, 0.0, cps).unwrap_err();
        assert!(e.to_string().contains("tempo"), "{e}");
    }
    for cycle in [f64::NAN, f64::INFINITY, 1e12] {
        let e = ClockAnchor::new(0, cycle, 0.5).unwrap_err();
        assert!(e.to_string().contains("position"), "{e}");
    }
    // Link's 128.5 BPM at 4 beats a cycle is 257/480 cps exactly.
    let a = ClockAnchor::new(7, -0.5, 128.5 / 240.0).unwrap();
    assert_eq!((a.cps, a.cycle), ((257, 480), (-1, 2)));
}
