//! Forms from Phonon's language that are plain functions of signals.

use super::{req, Builtin};
use crate::ir::BinOp;

pub(super) static BUILTINS: &[Builtin] = &[Builtin {
    name: "if",
    params: &[req("cond"), req("then"), req("else")],
    summary: "Phonon's `if`: `then` where the condition is above 0.5, else `else`.",
    formula: "cond > 0.5 ? then : else",
    lower: |e, a| {
        let half = e.c(0.5);
        let c = e.bin(BinOp::Gt, a[0], half);
        Ok(e.select(c, a[1], a[2]))
    },
}];
