//! Timing of the operations kanonc does per compile: parsing, querying a cycle of a
//! 64-step pattern, and building its period table. Run with
//! `cargo bench -p kanon-pattern --bench query` (release); prints microseconds.

use std::hint::black_box;
use std::time::Instant;

use kanon_pattern::{mini, period, Span, Time};

fn time<R>(label: &str, iters: u32, mut f: impl FnMut() -> R) {
    // Warm up once, then average.
    black_box(f());
    let start = Instant::now();
    for _ in 0..iters {
        black_box(f());
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / iters as f64;
    println!("{label:<48} {us:>10.2} µs");
}

fn main() {
    let steps64 = (0..64)
        .map(|i| ["bd", "sn", "hh", "cp"][i % 4])
        .collect::<Vec<_>>()
        .join(" ");
    let varied = "bd*2 [sn cp] <hh oh> bd(3,8,2) [~ sn]*2 {hh hh hh}%4 bd? sn:3 . hh*4 cp/2";
    let p64 = mini::pattern(&steps64).unwrap();
    let pv = mini::pattern(varied).unwrap();
    let cycle = Span::new(Time::ZERO, Time::ONE);

    time("parse + lower a 64-step sequence", 2000, || {
        mini::pattern(&steps64).unwrap()
    });
    time("query one cycle of a 64-step sequence", 2000, || {
        p64.query(cycle).unwrap()
    });
    time(
        "table of a 64-step sequence (3 periods checked)",
        2000,
        || period::table(&p64, 10_000).unwrap(),
    );
    time("parse + lower a mixed pattern", 2000, || {
        mini::pattern(varied).unwrap()
    });
    time("query one cycle of a mixed pattern", 2000, || {
        pv.query(cycle).unwrap()
    });
    let random = mini::pattern("hh*16? [bd | sn]").unwrap();
    time("table of `hh*16? [bd | sn]` (300 cycles)", 20, || {
        period::table(&random, 100_000).unwrap()
    });
}
