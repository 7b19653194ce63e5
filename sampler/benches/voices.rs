//! 64 simultaneous voices at speeds other than 1 (cubic interpolation on every frame),
//! at 48 kHz in 512-frame blocks: prints ns per frame and the share of one core.
//! Run with `cargo bench -p kanon-samples --bench voices`.

use std::hint::black_box;
use std::time::Instant;

use kanon_samples::voice::{active, pool_len, render, render_block, Trigger};
use kanon_samples::SampleStore;

const SR: f64 = 48_000.0;
const BLOCK: usize = 512;
const VOICES: usize = 64;

fn main() {
    let store = SampleStore::new(SR, 16);
    // Long samples (20 s) so no voice ends during the run; half mono, half stereo.
    let mono = store.reserve(1).unwrap();
    let stereo = store.reserve(1).unwrap();
    let frames = 20 * SR as usize;
    let tone = |i: usize, f: f64| (std::f64::consts::TAU * f * i as f64 / SR).sin() as f32 * 0.3;
    store
        .publish(mono, (0..frames).map(|i| tone(i, 220.0)).collect(), 1)
        .unwrap();
    store
        .publish(
            stereo,
            (0..frames)
                .flat_map(|i| [tone(i, 330.0), tone(i, 331.0)])
                .collect(),
            2,
        )
        .unwrap();
    let table = store.table();

    for (label, shape) in [("plain", 0.0), ("with shape", 0.4)] {
        let mut pool = vec![0.0; pool_len(VOICES)];
        let triggers: Vec<Trigger> = (0..VOICES)
            .map(|k| {
                let mut t = Trigger::new(if k % 2 == 0 { mono.0 } else { stereo.0 }).at(k as u32);
                t.speed = 0.61 + 0.013 * k as f64; // 0.61 .. 1.43, never exactly 1
                t.pan = k as f64 / VOICES as f64;
                t.gain = 0.1;
                t.shape = shape;
                t
            })
            .collect();
        let (mut l, mut r) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
        render_block(&mut pool, table, &triggers, &mut l, &mut r);
        assert_eq!(active(&pool), VOICES);

        let seconds = 10.0;
        let blocks = (seconds * SR) as usize / BLOCK;
        let (mut best_cpu, mut best_wall) = (f64::INFINITY, f64::INFINITY);
        for _ in 0..5 {
            let mut p = pool.clone();
            let (cpu0, wall0) = (thread_cpu_seconds(), Instant::now());
            for _ in 0..blocks {
                l.fill(0.0);
                r.fill(0.0);
                render(&mut p, table, &mut l, &mut r);
                black_box((&l, &r));
            }
            best_cpu = best_cpu.min(thread_cpu_seconds() - cpu0);
            best_wall = best_wall.min(wall0.elapsed().as_secs_f64());
            assert_eq!(active(&p), VOICES, "a voice ended during the run");
        }
        let frames_rendered = (blocks * BLOCK) as f64;
        let ns_per_frame = best_cpu * 1e9 / frames_rendered;
        let audio = frames_rendered / SR;
        println!(
            "voices/{label}: {VOICES} voices, speed 0.61-1.43, 48 kHz, block {BLOCK}: \
             {ns_per_frame:.0} ns/frame ({:.1} ns per voice-frame), {:.2}% of one core \
             (CPU time; wall clock {:.2}%)",
            ns_per_frame / VOICES as f64,
            100.0 * best_cpu / audio,
            100.0 * best_wall / audio
        );
    }
}

/// CPU time of this thread, in seconds (unaffected by other processes on the machine).
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}
