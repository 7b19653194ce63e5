//! Transcendental functions the generated code calls, with the exact semantics of
//! [`crate::ir::eval_unary`] (they are the same Rust functions). `sin` and `cos` are
//! inline instead ([`super::approx`]): measured 8 vs 13 ns per sine oscillator.

use crate::ir::{BinOp, UnOp};

extern "C" fn tan(x: f64) -> f64 {
    x.tan()
}
extern "C" fn exp(x: f64) -> f64 {
    x.exp()
}
extern "C" fn log(x: f64) -> f64 {
    x.ln()
}
extern "C" fn tanh(x: f64) -> f64 {
    x.tanh()
}
extern "C" fn pow(x: f64, y: f64) -> f64 {
    x.powf(y)
}

/// Symbol name and address of every function generated code may call.
pub fn symbols() -> [(&'static str, *const u8); 5] {
    [
        ("kanon_tan", tan as *const u8),
        ("kanon_exp", exp as *const u8),
        ("kanon_log", log as *const u8),
        ("kanon_tanh", tanh as *const u8),
        ("kanon_pow", pow as *const u8),
    ]
}

/// The symbol a one-input op is called through, if it is a call.
pub fn unary_symbol(op: UnOp) -> Option<&'static str> {
    Some(match op {
        UnOp::Tan => "kanon_tan",
        UnOp::Exp => "kanon_exp",
        UnOp::Log => "kanon_log",
        UnOp::Tanh => "kanon_tanh",
        _ => return None,
    })
}

/// The symbol a two-input op is called through, if it is a call.
pub fn binary_symbol(op: BinOp) -> Option<&'static str> {
    match op {
        BinOp::Pow => Some("kanon_pow"),
        _ => None,
    }
}
