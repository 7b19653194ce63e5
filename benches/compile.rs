//! Compile time against program size: text to callable code, as `kanonc check` reports it.
//!
//! `cargo bench --bench compile`. Two families of generated programs, each at about 10,
//! 100, 1 000 and 10 000 IR nodes:
//!
//! - **unrolled**: `n` oscillators all scaled by one shared LFO bus. Reading a signal
//!   from outside the `sum` keeps it unrolled, so every node reaches Cranelift: this is
//!   the scaling of the whole pipeline.
//! - **bank**: `n` independent oscillators, which the compiler rolls into one loop over
//!   its voices: the scaling of parsing, lowering and the bank search alone.
//!
//! Each figure is the median of 7 warm compiles (a `Compiler` reused, on a thread with
//! the compile stack, as on a live edit), after one cold one.

use kanon_compiler::{Compiler, Options};
use kanon_lang::Source;
use std::time::Duration;

const RUNS: usize = 7;

fn unrolled(n: usize) -> String {
    format!("~lfo: sine 0.3\nout: 0.001 * (sum i 0..{n}: sine (55 * (i + 1)) * ~lfo)")
}

fn bank(n: usize) -> String {
    format!("out: sum i 0..{n}: 0.001 * sine (55 * (i + 1))")
}

fn main() {
    // On a thread with the compile stack, as a live session compiles.
    kanon_compiler::on_compile_stack(measure);
}

fn measure() {
    let opts = Options {
        sample_rate: 48_000.0,
        keep_clif: false,
    };
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("median of {RUNS} warm compiles (text to callable code)");
    println!(
        "{:<9} {:>7} {:>7} {:>9} {:>9} {:>9} {:>9} {:>10}",
        "family", "voices", "nodes", "total ms", "parse", "lower", "codegen", "us/node"
    );
    for (family, make) in [
        ("unrolled", unrolled as fn(usize) -> String),
        ("bank", bank),
    ] {
        // About 7 nodes per voice, plus a few.
        for voices in [1, 14, 140, 1400] {
            let text = make(voices);
            let src = Source::new(format!("{family}{voices}.kn"), text);
            let mut compiler = Compiler::new();
            let first = compiler
                .compile(&src, opts)
                .expect("generated program compiles");
            let nodes = first.ir.nodes.len();
            let mut runs: Vec<_> = (0..RUNS)
                .map(|_| compiler.compile(&src, opts).expect("compiles").timings)
                .collect();
            runs.sort_by_key(|t| t.total());
            let t = runs[RUNS / 2];
            println!(
                "{family:<9} {voices:>7} {nodes:>7} {:>9.3} {:>9.3} {:>9.3} {:>9.3} {:>10.2}",
                ms(t.total()),
                ms(t.parse),
                ms(t.lower),
                ms(t.codegen),
                ms(t.total()) * 1e3 / nodes as f64
            );
        }
    }
}
