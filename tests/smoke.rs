//! End-to-end smoke tests of the pipeline: text → native code → samples.

use kanon_compiler::{compile, Options};
use kanon_lang::Source;

fn render(text: &str, frames: usize, block: usize) -> Vec<f32> {
    let p = compile(&Source::new("t.kn", text), Options::default()).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(|d| d.render(&Source::new("t.kn", text)))
                .collect::<String>()
        )
    });
    kanon_runtime::render(&p, frames, block)
}

#[test]
fn sine_matches_formula() {
    let out = render("out: 0.5 * sine 440", 48_000, 512);
    let mut phi = 0.0f64;
    for (n, &y) in out.iter().enumerate() {
        let want = (0.5 * (std::f64::consts::TAU * phi).sin()) as f32;
        assert!((y - want).abs() < 1e-6, "frame {n}: {y} vs {want}");
        phi += 440.0 / 48_000.0;
        phi -= phi.floor();
    }
}

#[test]
fn lorenz_is_forward_euler_from_one_snapshot() {
    let src = "~x: ~x + 10 * (~y - ~x) * 0.005 init 0.1
~y: ~y + (~x * (28 - ~z) - ~y) * 0.005 init 0.1
~z: ~z + (~x * ~y - 8/3 * ~z) * 0.005 init 0.1
o1: ~x
o2: ~y
o3: ~z";
    let out = render(src, 1000, 7);
    let (mut x, mut y, mut z) = (0.1f64, 0.1f64, 0.1f64);
    for n in 0..1000 {
        let nx = x + 10.0 * (y - x) * 0.005;
        let ny = y + (x * (28.0 - z) - y) * 0.005;
        let nz = z + (x * y - 8.0 / 3.0 * z) * 0.005;
        (x, y, z) = (nx, ny, nz);
        assert_eq!(out[n * 3], x as f32, "x at {n}");
        assert_eq!(out[n * 3 + 1], y as f32, "y at {n}");
        assert_eq!(out[n * 3 + 2], z as f32, "z at {n}");
    }
}

#[test]
fn block_sizes_give_identical_output() {
    let src = "~fb: ~out # delay 0.01 * 0.5\n~out: saw 110 # lpf (1500 + 1000 * sine 0.25) 0.8 + ~fb\nout: ~out * 0.3 + noise * 0.01";
    let reference = render(src, 48_000, 48_000);
    for block in [1, 7, 64, 512] {
        assert_eq!(render(src, 48_000, block), reference, "block {block}");
    }
}

#[test]
fn inline_sine_matches_its_scalar_model_bit_for_bit() {
    // The JIT's sin/cos/sine are the operations of `ir::math`, so constant folding and
    // the running code agree exactly.
    use kanon_compiler::ir::math;
    let out = render(
        "~x: (~x + 0.0137) init -300\nout: [sin ~x, cos ~x, sine 441]",
        48_000,
        333,
    );
    let (mut x, mut p) = (-300.0f64, 0.0f64);
    for n in 0..48_000 {
        x += 0.0137;
        assert_eq!(out[3 * n], math::sin(x) as f32, "sin at {n}");
        assert_eq!(out[3 * n + 1], math::cos(x) as f32, "cos at {n}");
        assert_eq!(out[3 * n + 2], math::sin_turns(p) as f32, "sine at {n}");
        p += 441.0 / 48_000.0;
        p -= p.floor();
    }
}
