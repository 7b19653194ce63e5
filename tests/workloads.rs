//! The nine benchmark workloads (`benches/workloads/*.kn`) against their plain-Rust f64
//! references (`benches/reference.rs`): the first second, rendered in blocks of 512,
//! must agree to 1e-6 (lorenz and vdp: the first 1000 samples).

#[path = "../benches/reference.rs"]
mod reference;

use kanon_compiler::{compile, Options};
use kanon_lang::Source;

const TOLERANCE: f64 = 1e-6;

/// kanonc's output and the reference's for one workload, and their largest difference.
fn measure(name: &str) -> f64 {
    let text = reference::source(name);
    let src = Source::new(format!("{name}.kn"), text);
    let program = compile(&src, Options::default())
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render(&src)).collect::<String>()));
    assert_eq!(program.channels(), 1, "{name} is mono");
    let frames = 48_000;
    let got = kanon_runtime::render(&program, frames, 512);
    let want = reference::render(name, frames, 512);
    let n = reference::compare_frames(name);
    // Two silent renders would agree; every workload is audible from the start.
    let peak = want[..n].iter().fold(0f32, |m, y| m.max(y.abs()));
    assert!(
        peak > 0.004,
        "{name}: the reference is nearly silent (peak {peak})"
    );
    let err = reference::max_abs_diff(&got, &want, n);
    println!("{name:>10}: max |kanonc − reference| over {n} frames = {err:.3e}");
    err
}

macro_rules! workload_tests {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                let err = measure($name);
                assert!(err <= TOLERANCE, "{}: max error {err:e} > {TOLERANCE:e}", $name);
            }
        )*

        /// Every workload has a test here.
        #[test]
        fn all_workloads_are_tested() {
            assert_eq!([$($name),*], reference::NAMES);
        }
    };
}

workload_tests! {
    sine440 => "sine440",
    bank100 => "bank100",
    bank1000 => "bank1000",
    fm => "fm",
    sawlpf => "sawlpf",
    fbdelay => "fbdelay",
    lorenz => "lorenz",
    vdp => "vdp",
    voices500 => "voices500",
}

/// The reference itself is block-size invariant (the benchmark renders it in blocks).
#[test]
fn reference_is_block_size_invariant() {
    for name in reference::NAMES {
        let whole = reference::render(name, 4800, 4800);
        for block in [1, 7, 512] {
            assert_eq!(
                reference::render(name, 4800, block),
                whole,
                "{name}, block {block}"
            );
        }
    }
}

/// kanonc renders every workload bit for bit the same in blocks of any size (banks run
/// in chunks, the delay line's position counts frames: none of it may depend on where a
/// block starts). fbdelay's 65536-sample line wraps after 1.4 s, so
/// 100,000 frames for it.
#[test]
fn kanonc_is_block_size_invariant() {
    for name in reference::NAMES {
        let src = Source::new(format!("{name}.kn"), reference::source(name));
        let program = compile(&src, Options::default()).expect("compiles");
        let frames = if name == "fbdelay" { 100_000 } else { 4_800 };
        let bits = |block: usize| -> Vec<u32> {
            kanon_runtime::render(&program, frames, block)
                .iter()
                .map(|x| x.to_bits())
                .collect()
        };
        let whole = bits(frames);
        for block in [1, 7, 512] {
            assert!(bits(block) == whole, "{name}, block {block}");
        }
    }
}

/// The comparison can fail: a reference that differs in one constant is caught.
#[test]
fn a_wrong_program_is_caught() {
    let src = Source::new("t.kn", "out: 0.5 * sine 440.01");
    let program = compile(&src, Options::default()).unwrap();
    let got = kanon_runtime::render(&program, 48_000, 512);
    let want = reference::render("sine440", 48_000, 512);
    assert!(reference::max_abs_diff(&got, &want, 48_000) > 1e-3);
}
