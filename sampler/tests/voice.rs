//! Voices on known samples: exact values where the maths is exact, onsets at their frame,
//! every control, cut groups, stealing without clicks, block-size invariance, absurd
//! inputs, and no allocation on the audio path.
// Frame-indexed comparisons read best as index loops.
#![allow(clippy::needless_range_loop)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::Arc;

use common::*;
use kanon_samples::voice::{
    self, active, layout, migrate, pool_len, render, render_block, Trigger, FLAG_UNIT_CYCLES,
};
use kanon_samples::{SampleId, SampleStore, SampleTable};

// --- allocation counting: the audio path must not allocate -------------------------

struct Counting;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; bookkeeping uses const thread-locals only.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count();
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn count() {
    let _ = ARMED.try_with(|a| {
        if a.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` and returns how many allocations or frees it made on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(0));
    ARMED.with(|a| a.set(true));
    f();
    ARMED.with(|a| a.set(false));
    COUNT.with(|c| c.get())
}

// --- fixtures ---------------------------------------------------------------------

const SR: f64 = 48_000.0;

struct Fixture {
    store: Arc<SampleStore>,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            store: SampleStore::new(SR, 64),
        }
    }

    fn add(&self, data: Vec<f32>, channels: usize) -> u32 {
        let id = self.store.reserve(1).unwrap();
        self.store.publish(id, data, channels).unwrap();
        id.0
    }

    fn table(&self) -> &SampleTable {
        self.store.table()
    }
}

/// Deterministic pseudo-random sample values in [−0.9, 0.9].
fn noise_sample(frames: usize, seed: u64) -> Vec<f32> {
    let mut rng = Rng(seed);
    (0..frames)
        .map(|_| (rng.unit() * 1.8 - 0.9) as f32)
        .collect()
}

fn sine_sample(freq: f64, frames: usize) -> Vec<f32> {
    sine(freq, SR, frames, 0.5)
        .iter()
        .map(|&x| x as f32)
        .collect()
}

/// Renders `frames` frames in blocks of `block`, with `events` (global frame, trigger).
fn run(
    table: &SampleTable,
    voices: usize,
    events: &[(usize, Trigger)],
    frames: usize,
    block: usize,
) -> (Vec<f64>, Vec<f64>) {
    let mut pool = vec![0.0; pool_len(voices)];
    let (mut l, mut r) = (vec![0.0; frames], vec![0.0; frames]);
    let mut start = 0;
    let mut batch = Vec::new();
    while start < frames {
        let end = (start + block).min(frames);
        batch.clear();
        for (at, t) in events {
            if *at >= start && *at < end {
                batch.push(t.at((*at - start) as u32));
            }
        }
        render_block(
            &mut pool,
            table,
            &batch,
            &mut l[start..end],
            &mut r[start..end],
        );
        start = end;
    }
    (l, r)
}

fn max_step(x: &[f64]) -> f64 {
    x.windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(0.0, f64::max)
}

// --- exact playback -----------------------------------------------------------------

#[test]
fn speed_1_gain_1_is_the_sample_bit_for_bit() {
    let fx = Fixture::new();
    let data = noise_sample(1000, 1);
    let id = fx.add(data.clone(), 1);
    let (l, r) = run(fx.table(), 8, &[(0, Trigger::new(id).mono())], 1200, 64);
    for i in 0..1000 {
        assert_eq!(l[i].to_bits(), (data[i] as f64).to_bits(), "frame {i}");
        assert_eq!(r[i].to_bits(), (data[i] as f64).to_bits(), "frame {i}");
    }
    assert!(l[1000..].iter().chain(&r[1000..]).all(|&x| x == 0.0));
}

#[test]
fn stereo_samples_keep_their_channels_in_mono_mode() {
    let fx = Fixture::new();
    let data = noise_sample(600, 2);
    let id = fx.add(data.clone(), 2);
    let (l, r) = run(fx.table(), 8, &[(0, Trigger::new(id).mono())], 400, 7);
    for i in 0..300 {
        assert_eq!(l[i], data[2 * i] as f64);
        assert_eq!(r[i], data[2 * i + 1] as f64);
    }
    assert!(l[300..].iter().all(|&x| x == 0.0));
}

#[test]
fn onsets_land_on_their_exact_frame() {
    let fx = Fixture::new();
    let data = noise_sample(100, 3);
    let id = fx.add(data.clone(), 1);
    for at in [0usize, 1, 37, 63, 64, 65, 511, 513] {
        let (l, _) = run(fx.table(), 4, &[(at, Trigger::new(id).mono())], 1200, 64);
        assert!(l[..at].iter().all(|&x| x == 0.0), "onset {at}");
        assert_eq!(l[at], data[0] as f64, "onset {at}");
        assert_eq!(l[at + 99], data[99] as f64, "onset {at}");
        assert_eq!(l[at + 100], 0.0, "onset {at}");
    }
}

#[test]
fn gain_scales_exactly() {
    let fx = Fixture::new();
    let data = noise_sample(200, 4);
    let id = fx.add(data.clone(), 1);
    let mut t = Trigger::new(id).mono();
    t.gain = 0.5;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 200, 64);
    for i in 0..200 {
        assert_eq!(l[i], data[i] as f64 * 0.5);
    }
}

#[test]
fn backwards_plays_the_reversed_sample_exactly() {
    let fx = Fixture::new();
    let data = noise_sample(500, 5);
    let id = fx.add(data.clone(), 1);
    let mut t = Trigger::new(id).mono();
    t.speed = -1.0;
    let (l, _) = run(fx.table(), 4, &[(10, t)], 600, 64);
    for i in 0..500 {
        assert_eq!(l[10 + i], data[499 - i] as f64, "frame {i}");
    }
    assert!(l[510..].iter().all(|&x| x == 0.0));
}

#[test]
fn note_12_doubles_the_rate_exactly() {
    let fx = Fixture::new();
    let data = noise_sample(1000, 6);
    let id = fx.add(data.clone(), 1);
    let mut t = Trigger::new(id).mono();
    t.note = 12.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 600, 64);
    for i in 0..500 {
        assert_eq!(l[i], data[2 * i] as f64);
    }
    assert!(l[500..].iter().all(|&x| x == 0.0));
    // note −12 halves it: the voice lasts twice as long.
    t.note = -12.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 2100, 64);
    assert_eq!(l[10], data[5] as f64);
    assert!(l[1990..2000].iter().any(|&x| x != 0.0));
    assert!(l[2000..].iter().all(|&x| x == 0.0));
}

#[test]
fn begin_and_end_select_a_region() {
    let fx = Fixture::new();
    let data = noise_sample(1000, 7);
    let id = fx.add(data.clone(), 1);
    // From the start: no fade-in, exact.
    let mut t = Trigger::new(id).mono();
    t.end = 0.5;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 1000, 64);
    for i in 0..500 {
        assert_eq!(l[i], data[i] as f64);
    }
    assert!(l[500..].iter().all(|&x| x == 0.0));
    // From inside: a 1 ms (48-frame) fade-in (level (j+1)/49), then exact.
    t.begin = 0.25;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 1000, 64);
    for j in 0..48 {
        let level = (48.0 - 48.0 + j as f64 + 1.0) / 49.0;
        assert_eq!(l[j], data[250 + j] as f64 * level, "fade-in frame {j}");
    }
    for i in 48..250 {
        assert_eq!(l[i], data[250 + i] as f64);
    }
    assert!(l[250..].iter().all(|&x| x == 0.0));
    // begin > end is the same region.
    let mut swapped = t;
    (swapped.begin, swapped.end) = (0.5, 0.25);
    assert_eq!(run(fx.table(), 4, &[(0, swapped)], 1000, 64).0, l);
}

#[test]
fn sustain_stops_the_voice_with_a_short_fade() {
    let fx = Fixture::new();
    let data = vec![0.5f32; 5000];
    let id = fx.add(data, 1);
    let mut t = Trigger::new(id).mono();
    t.sustain = 1000.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 2000, 64);
    assert!(l[..952].iter().all(|&x| x == 0.5));
    for j in 0..48 {
        assert_eq!(l[952 + j], 0.5 * (48 - j) as f64 / 49.0, "fade frame {j}");
    }
    assert!(l[1000..].iter().all(|&x| x == 0.0));
    // A very short sustain fades over 0.19 of it (SuperDirt's rule).
    t.sustain = 20.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 100, 64);
    assert!(l[..17].iter().all(|&x| x == 0.5));
    assert!(l[17..20].iter().all(|&x| x > 0.0 && x < 0.5));
    assert!(l[20..].iter().all(|&x| x == 0.0));
}

#[test]
fn without_sustain_a_sample_plays_past_the_next_event() {
    let fx = Fixture::new();
    let long = fx.add(vec![0.25f32; 3000], 1);
    let other = fx.add(vec![0.5f32; 100], 1);
    let events = [
        (0, Trigger::new(long).mono()),
        (1000, Trigger::new(other).mono()),
    ];
    let (l, _) = run(fx.table(), 4, &events, 4000, 64);
    assert_eq!(l[999], 0.25);
    assert_eq!(l[1000], 0.75);
    assert_eq!(l[1100], 0.25);
    assert_eq!(l[2999], 0.25);
    assert_eq!(l[3000], 0.0);
}

#[test]
fn equal_power_pan() {
    let fx = Fixture::new();
    let id = fx.add(vec![1.0f32; 10], 1);
    let gains = |pan: f64| {
        let mut t = Trigger::new(id);
        t.pan = pan;
        let (l, r) = run(fx.table(), 4, &[(0, t)], 10, 10);
        (l[0], r[0])
    };
    assert_eq!(gains(0.0), (1.0, 0.0));
    assert_eq!(gains(1.0), (0.0, 1.0));
    let (l, r) = gains(0.5);
    assert!((l - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-15 && (r - l).abs() < 1e-15);
    for p in [0.1, 0.3, 0.77, 0.9] {
        let (l, r) = gains(p);
        assert!((l * l + r * r - 1.0).abs() < 1e-14, "pan {p}");
        let angle = (p * std::f64::consts::FRAC_PI_2).cos();
        assert!((l - angle).abs() < 1e-14);
    }
    // Out of range pans clamp.
    assert_eq!(gains(-3.0), (1.0, 0.0));
    assert_eq!(gains(7.0), (0.0, 1.0));
}

#[test]
fn unit_c_fits_the_sample_to_cycles() {
    let fx = Fixture::new();
    let id = fx.add(vec![0.5f32; 4800], 1); // 0.1 s
    let mut t = Trigger::new(id).mono();
    t.flags |= FLAG_UNIT_CYCLES;
    t.cps = 0.5;
    t.note = 7.0; // ignored in unit "c", as in SuperDirt
                  // rate = speed · cps · seconds = 0.05: the sample lasts one cycle, 2 s.
    let (l, _) = run(fx.table(), 4, &[(0, t)], 100_000, 512);
    let last = l.iter().rposition(|&x| x != 0.0).unwrap();
    assert_eq!(last, 96_000 - 1);
    t.speed = 2.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 100_000, 512);
    // 0.1 is not exact in binary: the summed position may take one frame more.
    let last = l.iter().rposition(|&x| x != 0.0).unwrap() as i64;
    assert!((last - (48_000 - 1)).abs() <= 1, "ends at {last}");
}

#[test]
fn accelerate_ramps_the_rate_to_its_end_value() {
    let fx = Fixture::new();
    let n = 2000;
    // A ramp: the output value tells the read position.
    let id = fx.add((0..n).map(|i| i as f32 / n as f32).collect(), 1);
    let mut t = Trigger::new(id).mono();
    t.accelerate = -1.0; // speed 1 → 0 over 2n frames (average speed 0.5)
    let (l, _) = run(fx.table(), 4, &[(0, t)], 3 * n, 64);
    // The rate nears 0 as the position nears the end, so the discrete sum reaches the end
    // about √(2n) frames before the continuous ramp would.
    let last = l.iter().rposition(|&x| x != 0.0).unwrap();
    let slack = (2.0 * (2 * n) as f64).sqrt() as i64;
    assert!(
        (last as i64 - 2 * n as i64).abs() <= slack,
        "ends at {last}"
    );
    // Halfway in time, position = n·(t − t²/(2T)) with T = 2n: three quarters of the way.
    let half = l[n] * n as f64;
    assert!((half - 0.75 * n as f64).abs() < 2.0, "position {half}");
    // accelerate 1 doubles the speed by the end: it covers the sample in 2n/3 frames.
    t.accelerate = 1.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 3 * n, 64);
    let last = l.iter().rposition(|&x| x != 0.0).unwrap() as f64;
    assert!((last - 2.0 * n as f64 / 3.0).abs() <= 2.0, "ends at {last}");
}

#[test]
fn shape_is_superdirts_waveshaper() {
    let fx = Fixture::new();
    let data = noise_sample(300, 8);
    let id = fx.add(data.clone(), 1);
    let mut t = Trigger::new(id).mono();
    t.shape = 0.5;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 300, 64);
    let k = 2.0 * 0.5 / (1.0 - 0.5);
    for i in 0..300 {
        let x = data[i] as f64;
        assert!((l[i] - (1.0 + k) * x / (1.0 + k * x.abs())).abs() < 1e-15);
    }
    // shape 1 (and beyond) stays finite.
    t.shape = 5.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 300, 64);
    assert!(l.iter().all(|x| x.is_finite() && x.abs() <= 1.0 + 1e-6));
}

#[test]
fn ar_envelope_as_faust_en_ar() {
    let fx = Fixture::new();
    let id = fx.add(vec![1.0f32; 1000], 1);
    let mut t = Trigger::new(id).mono();
    t.attack = 10.0;
    t.release = 20.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 100, 64);
    for j in 0..10 {
        assert_eq!(l[j], (j + 1) as f64 / 10.0);
    }
    for r in 0..20 {
        assert_eq!(l[10 + r], (20 - r) as f64 / 20.0);
    }
    assert!(l[30..].iter().all(|&x| x == 0.0));
    // Attack only: rise, then hold to the end of the sample.
    t.release = 0.0;
    let (l, _) = run(fx.table(), 4, &[(0, t)], 1100, 64);
    assert_eq!(l[4], 0.5);
    assert_eq!(l[500], 1.0);
    assert_eq!(l[999], 1.0);
    assert_eq!(l[1000], 0.0);
}

#[test]
fn cubic_interpolation_error_is_bounded() {
    let fx = Fixture::new();
    for (freq, bound) in [(440.0, 2e-6), (1000.0, 2.5e-5), (5000.0, 3.5e-3)] {
        let id = fx.add(sine_sample(freq, 48_000), 1);
        for speed in [0.5, 0.7317, 1.37, 1.9] {
            let mut t = Trigger::new(id).mono();
            t.speed = speed;
            let (l, _) = run(fx.table(), 4, &[(0, t)], 20_000, 512);
            let worst = (10..20_000)
                .map(|i| {
                    let ideal = 0.5 * (std::f64::consts::TAU * freq * i as f64 * speed / SR).sin();
                    (l[i] - ideal).abs()
                })
                .fold(0.0, f64::max);
            eprintln!("interpolation: {freq} Hz at speed {speed}: {worst:.3e}");
            assert!(worst < bound, "{freq} Hz at speed {speed}: {worst}");
        }
    }
}

// --- cut groups and stealing ---------------------------------------------------------

#[test]
fn cut_groups_stop_earlier_voices_within_1_ms() {
    let fx = Fixture::new();
    let a = fx.add(vec![0.25f32; 10_000], 1);
    let b = fx.add(vec![0.5f32; 10_000], 1);
    let with_cut = |id, cut| {
        let mut t = Trigger::new(id).mono();
        t.cut = cut;
        t
    };
    // Group 1: b stops a.
    let (l, _) = run(
        fx.table(),
        8,
        &[(0, with_cut(a, 1)), (1000, with_cut(b, 1))],
        3000,
        64,
    );
    assert_eq!(l[999], 0.25);
    assert!(l[1000] > 0.5 && l[1000] < 0.75);
    assert!(
        l[1048..3000].iter().all(|&x| x == 0.5),
        "a is gone 48 frames (1 ms) later"
    );
    // Other groups and no group are untouched.
    let (l, _) = run(
        fx.table(),
        8,
        &[(0, with_cut(a, 1)), (1000, with_cut(b, 2))],
        3000,
        64,
    );
    assert_eq!(l[2000], 0.75);
    let (l, _) = run(
        fx.table(),
        8,
        &[(0, with_cut(a, 0)), (1000, with_cut(b, 0))],
        3000,
        64,
    );
    assert_eq!(l[2000], 0.75);
    // A negative group only stops the same sample.
    let (l, _) = run(
        fx.table(),
        8,
        &[(0, with_cut(a, -1)), (1000, with_cut(b, -1))],
        3000,
        64,
    );
    assert_eq!(l[2000], 0.75);
    let (l, _) = run(
        fx.table(),
        8,
        &[(0, with_cut(a, -1)), (1000, with_cut(a, -1))],
        3000,
        64,
    );
    assert_eq!(l[2000], 0.25);
    // The fade never steps by more than the level over 48 frames.
    let (l, _) = run(
        fx.table(),
        8,
        &[(0, with_cut(a, 1)), (1000, with_cut(b, 1))],
        3000,
        64,
    );
    assert!(max_step(&l[1001..3000]) <= 0.25 / 48.0 + 1e-12);
}

#[test]
fn stealing_takes_the_oldest_voice_without_a_click() {
    let fx = Fixture::new();
    // Sines that start at zero: the only possible click is the steal itself.
    let tone = fx.add(sine_sample(100.0, 48_000), 1);
    let voices = 4;
    let events: Vec<(usize, Trigger)> = (0..12)
        .map(|k| (k * 1237 + 100, Trigger::new(tone).mono()))
        .collect();
    let (l, _) = run(fx.table(), voices, &events, 20_000, 64);
    // A sine of amplitude 0.5 at 100 Hz steps at most 0.0066 per frame; four of them
    // 0.026. An abrupt steal would jump by up to 0.5.
    let step = max_step(&l);
    assert!(step < 0.035, "largest step {step}");
    // The steals happened mid-sound: at every trigger past the fourth, four were sounding.
    let mut pool = vec![0.0; pool_len(voices)];
    let (mut bl, mut br) = (vec![0.0; 20_000], vec![0.0; 20_000]);
    let batch: Vec<Trigger> = events.iter().map(|(at, t)| t.at(*at as u32)).collect();
    render_block(&mut pool, fx.table(), &batch, &mut bl, &mut br);
    assert_eq!(bl, l);
    assert!(active(&pool) <= 2 * voices);
    let sounding = pool[layout::HEADER..]
        .chunks(layout::VOICE_SLOTS)
        .filter(|v| v[layout::STATE] == 1.0)
        .count();
    assert_eq!(sounding, voices);
}

#[test]
fn a_flood_of_triggers_stays_bounded_and_finite() {
    let fx = Fixture::new();
    let id = fx.add(vec![0.5f32; 10_000], 1);
    let events: Vec<(usize, Trigger)> = (0..500).map(|k| (k / 10, Trigger::new(id))).collect();
    let (l, r) = run(fx.table(), 4, &events, 2000, 7);
    assert!(l.iter().chain(&r).all(|x| x.is_finite()));
    // At most 8 slots sound or fade at once: the level is bounded by 8 · 0.5.
    assert!(l.iter().all(|&x| x.abs() <= 8.0 * 0.5));
}

// --- block-size invariance, state carried over ----------------------------------------

fn busy_events(ids: &[u32]) -> Vec<(usize, Trigger)> {
    let mut rng = Rng(42);
    (0..120)
        .map(|k| {
            let mut t = Trigger::new(ids[rng.below(ids.len())]);
            t.speed = [1.0, -1.0, 0.5, 1.37, -0.81, 2.0][rng.below(6)];
            t.note = [0.0, 3.0, -5.0, 0.25][rng.below(4)];
            t.gain = rng.unit() * 1.5;
            t.pan = rng.unit();
            t.begin = [0.0, 0.1, 0.3][rng.below(3)];
            t.end = [1.0, 0.9, 0.6][rng.below(3)];
            t.sustain = [0.0, 300.0, 1500.0][rng.below(3)];
            t.accelerate = [0.0, 0.0, -0.5, 0.7][rng.below(4)];
            t.shape = [0.0, 0.0, 0.3][rng.below(3)];
            t.cut = [0, 0, 1, -2][rng.below(4)];
            t.attack = [0.0, 0.0, 40.0][rng.below(3)];
            t.release = [0.0, 0.0, 400.0][rng.below(3)];
            if rng.below(5) == 0 {
                t.flags |= FLAG_UNIT_CYCLES;
                t.cps = 0.6;
            }
            if rng.below(4) == 0 {
                t = t.mono();
            }
            (k * 397 + rng.below(300), t)
        })
        .collect()
}

#[test]
fn output_is_identical_for_every_block_size() {
    let fx = Fixture::new();
    let ids = [
        fx.add(noise_sample(3000, 10), 1),
        fx.add(noise_sample(4000, 11), 2),
        fx.add(sine_sample(300.0, 2500), 1),
    ];
    let events = busy_events(&ids);
    let frames = 50_000;
    let reference = run(fx.table(), 6, &events, frames, frames);
    assert!(reference.0.iter().any(|&x| x != 0.0));
    for block in [1, 7, 64, 512] {
        let out = run(fx.table(), 6, &events, frames, block);
        let same = out
            .0
            .iter()
            .zip(&reference.0)
            .all(|(a, b)| a.to_bits() == b.to_bits())
            && out
                .1
                .iter()
                .zip(&reference.1)
                .all(|(a, b)| a.to_bits() == b.to_bits());
        assert!(same, "block size {block} differs");
    }
}

#[test]
fn a_copied_pool_keeps_every_voice_ringing() {
    let fx = Fixture::new();
    let id = fx.add(noise_sample(20_000, 12), 2);
    let mut pool = vec![0.0; pool_len(8)];
    let (mut l, mut r) = (vec![0.0; 1000], vec![0.0; 1000]);
    render_block(
        &mut pool,
        fx.table(),
        &[Trigger::new(id).at(10)],
        &mut l,
        &mut r,
    );
    // An edit: the state is carried into a new slice (same size, or a bigger pool).
    let mut same = pool.clone();
    let mut bigger = vec![0.0; pool_len(32)];
    migrate(&pool, &mut bigger);
    let mut outs = Vec::new();
    for p in [&mut pool, &mut same, &mut bigger] {
        let (mut l, mut r) = (vec![0.0; 5000], vec![0.0; 5000]);
        render(p, fx.table(), &mut l, &mut r);
        outs.push((l, r));
    }
    assert!(outs[0].0.iter().any(|&x| x != 0.0));
    assert_eq!(outs[0], outs[1]);
    assert_eq!(outs[0], outs[2]);
    // Migrating into a smaller pool keeps the newest voices.
    let mut small = vec![0.0; pool_len(1)];
    let mut many = vec![0.0; pool_len(8)];
    let (mut l, mut r) = (vec![0.0; 100], vec![0.0; 100]);
    let batch: Vec<Trigger> = (0..5).map(|k| Trigger::new(id).at(k * 10)).collect();
    render_block(&mut many, fx.table(), &batch, &mut l, &mut r);
    migrate(&many, &mut small);
    assert_eq!(active(&small), 2);
    let serials: Vec<f64> = small[layout::HEADER..]
        .chunks(layout::VOICE_SLOTS)
        .map(|v| v[layout::SERIAL])
        .collect();
    assert_eq!(serials, vec![4.0, 3.0]);
}

// --- bad input ----------------------------------------------------------------------

#[test]
fn absurd_controls_never_panic_or_produce_nan() {
    let fx = Fixture::new();
    let ids = [
        fx.add(noise_sample(500, 13), 1),
        fx.add(noise_sample(500, 14), 2),
    ];
    let weird = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e308,
        -1e308,
        0.0,
        -0.0,
        1e-300,
        -1e-300,
        f64::MIN_POSITIVE,
        1.0,
        -1.0,
        0.5,
        1e9,
    ];
    let mut rng = Rng(7);
    let pick = |rng: &mut Rng| weird[rng.below(weird.len())];
    let mut pool = vec![0.0; pool_len(8)];
    for round in 0..3000 {
        let mut t = Trigger::new(if rng.below(8) == 0 {
            rng.next() as u32
        } else {
            ids[rng.below(2)]
        });
        t.speed = pick(&mut rng);
        t.note = pick(&mut rng);
        t.accelerate = pick(&mut rng);
        t.gain = pick(&mut rng);
        t.pan = pick(&mut rng);
        t.begin = pick(&mut rng);
        t.end = pick(&mut rng);
        t.sustain = pick(&mut rng);
        t.cps = pick(&mut rng);
        t.shape = pick(&mut rng);
        t.attack = pick(&mut rng);
        t.release = pick(&mut rng);
        t.cut = [0, 1, -1, i32::MIN, i32::MAX][rng.below(5)];
        t.flags = rng.next() as u32;
        t.offset = rng.next() as u32;
        let (mut l, mut r) = (vec![0.0; 64], vec![0.0; 64]);
        render_block(&mut pool, fx.table(), &[t], &mut l, &mut r);
        assert!(
            l.iter().chain(&r).all(|x| x.is_finite()),
            "round {round}: {t:?}"
        );
    }
}

#[test]
fn garbage_pools_never_panic_or_produce_nan() {
    let fx = Fixture::new();
    let id = fx.add(noise_sample(500, 15), 2);
    let mut rng = Rng(99);
    for round in 0..3000 {
        let len = rng.below(pool_len(4) + 40);
        let mut pool: Vec<f64> = (0..len)
            .map(|_| match rng.below(4) {
                0 => f64::from_bits(rng.next()),
                1 => [f64::NAN, f64::INFINITY, -1.0, 0.0, 1.0, 2.0][rng.below(6)],
                2 => rng.unit() * 1000.0 - 500.0,
                _ => (rng.below(4)) as f64,
            })
            .collect();
        let (mut l, mut r) = (vec![0.0; 256], vec![0.0; 256]);
        let before = pool.clone();
        render_block(
            &mut pool,
            fx.table(),
            &[Trigger::new(id).at(3)],
            &mut l,
            &mut r,
        );
        assert!(
            l.iter().chain(&r).all(|x| x.is_finite()),
            "round {round}: {before:?}"
        );
        // Whatever it held, the pool is a valid one afterwards: it renders finite.
        render(&mut pool, fx.table(), &mut l, &mut r);
        assert!(
            l.iter().chain(&r).all(|x| x.is_finite()),
            "round {round} after"
        );
    }
}

#[test]
fn unloaded_ids_are_counted_and_silent() {
    let fx = Fixture::new();
    let reserved = fx.store.reserve(1).unwrap(); // never published
    let mut pool = vec![0.0; pool_len(4)];
    let (mut l, mut r) = (vec![0.0; 64], vec![0.0; 64]);
    let batch = [Trigger::new(reserved.0), Trigger::new(9999).at(5)];
    render_block(&mut pool, fx.table(), &batch, &mut l, &mut r);
    assert!(l.iter().chain(&r).all(|&x| x == 0.0));
    assert_eq!(fx.store.missed(), 2);
    assert_eq!(active(&pool), 0);
}

#[test]
fn speed_zero_and_empty_regions_play_nothing() {
    let fx = Fixture::new();
    let id = fx.add(vec![0.5; 100], 1);
    let mut pool = vec![0.0; pool_len(4)];
    let mut zero = Trigger::new(id);
    zero.speed = 0.0;
    let mut empty = Trigger::new(id);
    (empty.begin, empty.end) = (0.5, 0.5);
    let (mut l, mut r) = (vec![0.0; 64], vec![0.0; 64]);
    render_block(&mut pool, fx.table(), &[zero, empty], &mut l, &mut r);
    assert!(l.iter().chain(&r).all(|&x| x == 0.0));
    assert_eq!(active(&pool), 0);
}

#[test]
fn short_or_zeroed_pools_are_safe() {
    let fx = Fixture::new();
    let id = fx.add(vec![0.5; 100], 1);
    for len in [0, 1, 3, layout::HEADER, pool_len(1) - 1] {
        let mut pool = vec![0.0; len];
        let (mut l, mut r) = (vec![0.0; 64], vec![0.0; 64]);
        render_block(&mut pool, fx.table(), &[Trigger::new(id)], &mut l, &mut r);
        assert!(l.iter().all(|&x| x == 0.0), "len {len}");
    }
    assert_eq!(voice::polyphony(pool_len(64)), 64);
}

// --- the audio path: allocation-free, and the C entry points --------------------------

#[test]
fn the_audio_path_does_not_allocate() {
    let fx = Fixture::new();
    let ids = [
        fx.add(noise_sample(3000, 16), 1),
        fx.add(noise_sample(3000, 17), 2),
    ];
    let events = busy_events(&ids);
    let mut pool = vec![0.0; pool_len(6)];
    let (mut l, mut r) = (vec![0.0; 512], vec![0.0; 512]);
    let batches: Vec<Vec<Trigger>> = (0..100)
        .map(|b| {
            events
                .iter()
                .filter(|(at, _)| at / 512 == b)
                .map(|(at, t)| t.at((at % 512) as u32))
                .collect()
        })
        .collect();
    let n = allocations(|| {
        for batch in &batches {
            render_block(&mut pool, fx.table(), batch, &mut l, &mut r);
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn c_entry_points_match_the_rust_calls() {
    let fx = Fixture::new();
    let id = fx.add(noise_sample(1000, 18), 2);
    let mut t = Trigger::new(id).at(17);
    t.speed = 1.37;
    t.pan = 0.3;
    let (mut l1, mut r1) = (vec![0.0; 600], vec![0.0; 600]);
    let mut p1 = vec![0.0; pool_len(4)];
    render_block(&mut p1, fx.table(), &[t], &mut l1, &mut r1);
    let (mut l2, mut r2) = (vec![0.0; 600], vec![0.0; 600]);
    let mut p2 = vec![0.0; pool_len(4)];
    let table: *const SampleTable = fx.store.table_ptr();
    // SAFETY: every pointer is to a live, correctly sized buffer.
    unsafe {
        voice::ffi::kanon_voice_render_block(
            p2.as_mut_ptr(),
            p2.len(),
            table,
            &t,
            1,
            l2.as_mut_ptr(),
            r2.as_mut_ptr(),
            300,
        );
        voice::ffi::kanon_voice_render(
            p2.as_mut_ptr(),
            p2.len(),
            table,
            l2[300..].as_mut_ptr(),
            r2[300..].as_mut_ptr(),
            300,
        );
        voice::ffi::kanon_voice_render(
            std::ptr::null_mut(),
            0,
            table,
            l2.as_mut_ptr(),
            r2.as_mut_ptr(),
            5,
        );
    }
    assert_eq!((l1, r1), (l2, r2));
    // trigger then render is the same as render_block with offset 0.
    let mut p3 = vec![0.0; pool_len(4)];
    let (mut l3, mut r3) = (vec![0.0; 100], vec![0.0; 100]);
    let t0 = Trigger::new(id);
    unsafe { voice::ffi::kanon_voice_trigger(p3.as_mut_ptr(), p3.len(), table, &t0) };
    render(&mut p3, fx.table(), &mut l3, &mut r3);
    let (l4, r4) = run(fx.table(), 4, &[(0, t0)], 100, 100);
    assert_eq!((l3, r3), (l4, r4));
    assert_eq!(std::mem::size_of::<Trigger>(), 112);
    assert_eq!(std::mem::offset_of!(Trigger, cut), 104);
    let _ = SampleId(0);
}
