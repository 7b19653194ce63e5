//! Codegen emits a select of exactly its comparison's operands (`a < b ? a : b` and the
//! like) as one minsd or maxsd. The instruction must give what the integer select gave,
//! NaN and signed zeros included: checked against the interpreter bit for bit.

use kanon_compiler::{compile, interp, Block, Options};
use kanon_lang::Source;

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
    let frames = 4_800;
    let ch = p.channels();
    let mut out = vec![0.0; frames * ch];
    p.process(Block::new(&mut p.initial_state(), &mut out));
    let mut out2 = vec![0.0; frames * ch];
    interp::Interp::new(&p.ir, &p.layout).process(Block::new(&mut p.initial_state(), &mut out2));
    for (k, (a, b)) in out.iter().zip(&out2).enumerate() {
        assert_eq!(
            a.to_bits(),
            b.to_bits(),
            "frame {}, channel {}: jit {a:e}, interpreter {b:e}",
            k / ch,
            k % ch
        );
    }
    // The inputs do reach the awkward cases.
    assert!(out.iter().any(|x| x.is_nan()));
    assert!(out.iter().any(|x| *x == 0.0 && x.is_sign_negative()));
}
