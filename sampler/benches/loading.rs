//! Loading a library of 300 folders / 3,000 short files (generated in a temporary
//! folder): the scan at open, and decoding + resampling everything in the background.
//! Also the built-in kit's render time. Run with
//! `cargo bench -p kanon-samples --bench loading`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{wav, Enc, Rng, TempDir};
use kanon_samples::kit::KIT;
use kanon_samples::{Library, LibraryConfig};

fn main() {
    let dir = TempDir::new("bench-loading");
    let mut rng = Rng(2024);
    let mut bytes = 0usize;
    let names: Vec<String> = (0..300).map(|f| format!("sound{f:03}")).collect();
    for name in &names {
        for i in 0..10 {
            // 0.1-0.5 s at 44.1 kHz (so every file is resampled to 48 kHz), 16-bit,
            // a third of them stereo, like Dirt-Samples.
            let frames = 4410 + rng.below(4 * 4410);
            let channels = if rng.below(3) == 0 { 2 } else { 1 };
            let data: Vec<Vec<f64>> = (0..frames)
                .map(|k| vec![(k as f64 * 0.031).sin() * 0.5; channels])
                .collect();
            let file = wav(Enc::I16, 44_100, channels as u16, &data, false);
            bytes += file.len();
            dir.write(&format!("{name}/{i:02}.wav"), &file);
        }
    }
    println!(
        "loading: generated 300 folders, 3000 files, {:.1} MB",
        bytes as f64 / 1e6
    );

    let mut config = LibraryConfig::isolated(48_000);
    config.dirs = vec![dir.path().to_path_buf()];
    let start = Instant::now();
    let lib = Library::open(config);
    let scanned = start.elapsed();
    assert_eq!(lib.listing().len(), 300 + KIT.len());

    let (start, cpu0) = (Instant::now(), process_cpu_seconds());
    assert!(lib.preload(&names).is_empty());
    let requested = start.elapsed();
    assert!(lib.wait_idle(Duration::from_secs(300)));
    let loaded = start.elapsed();
    let cpu = process_cpu_seconds() - cpu0;
    let p = lib.progress();
    assert_eq!((p.loaded, p.failed), (3000, 0));
    println!(
        "loading: open (scan 300 folders + render the kit) {:.1} ms (kit {:.1} ms); \
         preload returned in {:.2} ms; all 3000 files decoded and resampled in {:.2} s \
         wall clock, {:.2} s of CPU ({} loader threads); sample memory {:.1} MB",
        scanned.as_secs_f64() * 1e3,
        lib.kit_render_time().as_secs_f64() * 1e3,
        requested.as_secs_f64() * 1e3,
        loaded.as_secs_f64(),
        cpu,
        LibraryConfig::isolated(48_000).loader_threads,
        lib.store().memory_bytes() as f64 / 1e6
    );

    for sr in [44_100.0, 48_000.0, 96_000.0] {
        let start = Instant::now();
        let mut total = 0;
        for s in KIT {
            total += s.render(sr).len();
        }
        println!(
            "kit: {} sounds at {} Hz rendered in {:.1} ms ({:.1} s of audio)",
            KIT.len(),
            sr,
            start.elapsed().as_secs_f64() * 1e3,
            total as f64 / sr
        );
    }
}

/// CPU time used by the whole process (all threads), in seconds.
fn process_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: a valid clock id and a valid out-pointer.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}
