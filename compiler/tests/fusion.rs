//! Codegen fuses `x·2ᵏ + y` (2ᵏ ≥ 1) into one multiply-add. That is only allowed because
//! the product is exact, so the result must be bit for bit the two rounded operations'.

use kanon_compiler::{compile, Options};
use kanon_lang::Source;

mod common;

/// A small deterministic generator of awkward f64s: tiny, subnormal, huge, signed.
fn values() -> Vec<f64> {
    let mut s = 0x2545_f491_4f6c_dd1d_u64;
    let mut out = vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::MIN_POSITIVE,
        5e-324,
        f64::MAX,
        1e308,
    ];
    for _ in 0..20_000 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let x = f64::from_bits(s);
        if x.is_finite() {
            out.push(x);
        }
    }
    out
}

#[test]
fn a_fused_power_of_two_product_rounds_like_the_separate_ones() {
    let v = values();
    for k in [1.0, 2.0, 4.0, 1024.0, 2f64.powi(1000)] {
        for w in v.windows(2) {
            let (x, y) = (w[0], w[1]);
            let fused = x.mul_add(k, y);
            let separate = x * k + y;
            assert!(
                fused.to_bits() == separate.to_bits() || fused.is_nan() && separate.is_nan(),
                "{x:e} * {k:e} + {y:e}: fused {fused:e}, separate {separate:e}"
            );
        }
    }
}

#[test]
fn fused_code_matches_the_interpreter_bit_for_bit() {
    // Products by 2 and 4 with huge and tiny operands, kept in state cells (outputs are
    // f32 and would hide the low bits). A product by 0.5 is not exact and stays a multiply.
    let text = "\
~a: mem (2 * (saw 3 * 1e307) - 1e300) 0
~b: mem (4 * (sine 7 * 1e-310) + 3e-310 * tri 5) 0
~c: mem (0.5 * (saw 11 * 1e-308) + 1e-309) 0
~d: mem (1 + 2 * (sine 13 * 0.1)) 0
out: 1e-300 * ~a + 1e300 * ~b + 1e300 * ~c + 0.1 * ~d
";
    let src = Source::new("fusion.kn", text);
    let p = compile(&src, Options::default()).unwrap_or_else(|d| panic!("{}", d[0].render(&src)));
    let frames = 4_800;
    let jit_state = common::jit_matches_interp(&p, frames);
    assert!(jit_state.iter().any(|&x| x != 0.0));
}
