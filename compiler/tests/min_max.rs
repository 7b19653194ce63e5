//! Codegen emits a select of exactly its comparison's operands (`a < b ? a : b` and the
//! like) as one minsd or maxsd. The instruction must give what the integer select gave,
//! NaN and signed zeros included: checked against the interpreter bit for bit.

use kanon_compiler::{compile, Options};
use kanon_lang::Source;

mod common;

#[test]
fn min_max_selects_match_the_interpreter_bit_for_bit() {
    // ~z is ±0 (the sign of a saw), ~n NaN half the time (the square root of a negative
    // saw), ~s an ordinary signal: every order of operands and both comparisons.
    let text = "\
~z: saw 3 * 0
~n: sqrt (saw 5)
~s: sine 7
out: [select (~z < ~s) ~z ~s, select (~z < ~s) ~s ~z, select (~s > ~z) ~s ~z, select (~s > ~z) ~z ~s, \
select (~n < ~s) ~n ~s, select (~s < ~n) ~n ~s, select (~s < ~n) ~s ~n, select (~n > ~z) ~n ~z, \
select (~n > ~z) ~z ~n, select (~z > ~n) ~n ~z, \
select (~z < 0) 0 ~z, select (0 < ~z) 0 ~z]
";
    let src = Source::new("min_max.kn", text);
    let p = compile(&src, Options::default()).unwrap_or_else(|d| panic!("{}", d[0].render(&src)));
    let (_, out) = common::jit_and_interp(&p, 4_800);
    // The inputs do reach the awkward cases.
    assert!(out.iter().any(|x| x.is_nan()));
    assert!(out.iter().any(|x| *x == 0.0 && x.is_sign_negative()));
}
