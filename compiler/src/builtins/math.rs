//! Stateless maths. Comparisons are operators (`<`, `>=`, `==`, …) giving 0 or 1.

use super::{opt, req, Builtin};
use crate::ir::{BinOp, UnOp};

macro_rules! unary {
    ($name:literal, $op:expr, $summary:literal, $formula:literal) => {
        Builtin {
            name: $name,
            params: &[req("x")],
            summary: $summary,
            formula: $formula,
            lower: |e, a| Ok(e.un($op, a[0])),
        }
    };
}

macro_rules! binary {
    ($name:literal, $op:expr, $summary:literal, $formula:literal) => {
        Builtin {
            name: $name,
            params: &[req("a"), req("b")],
            summary: $summary,
            formula: $formula,
            lower: |e, a| Ok(e.bin($op, a[0], a[1])),
        }
    };
}

pub(super) static BUILTINS: &[Builtin] = &[
    unary!("sin", UnOp::Sin, "Sine of radians.", "sin(x)"),
    unary!("cos", UnOp::Cos, "Cosine of radians.", "cos(x)"),
    unary!("tan", UnOp::Tan, "Tangent of radians.", "tan(x)"),
    unary!("exp", UnOp::Exp, "Exponential.", "eˣ"),
    unary!("log", UnOp::Log, "Natural logarithm.", "ln(x)"),
    unary!("sqrt", UnOp::Sqrt, "Square root.", "√x"),
    unary!("abs", UnOp::Abs, "Absolute value.", "|x|"),
    unary!("floor", UnOp::Floor, "Round down.", "⌊x⌋"),
    unary!(
        "tanh",
        UnOp::Tanh,
        "Hyperbolic tangent, a soft clipper.",
        "tanh(x)"
    ),
    binary!("pow", BinOp::Pow, "Power (also `a ^ b`).", "aᵇ"),
    binary!("min", BinOp::Min, "The smaller.", "min(a, b)"),
    binary!("max", BinOp::Max, "The larger.", "max(a, b)"),
    Builtin {
        name: "clip",
        params: &[req("x"), opt("lo", -1.0), opt("hi", 1.0)],
        summary: "Clamp into a range.",
        formula: "min(max(x, lo), hi)",
        lower: |e, a| {
            let m = e.bin(BinOp::Max, a[0], a[1]);
            Ok(e.bin(BinOp::Min, m, a[2]))
        },
    },
    Builtin {
        name: "wrap",
        params: &[req("x"), opt("lo", 0.0), opt("hi", 1.0)],
        summary: "Wrap around into a range.",
        formula: "lo + (x − lo) − (hi − lo)·floor((x − lo)/(hi − lo))",
        lower: |e, a| {
            let (x, lo, hi) = (a[0], a[1], a[2]);
            let d = e.sub(x, lo);
            let w = e.sub(hi, lo);
            let q = e.div(d, w);
            let f = e.un(UnOp::Floor, q);
            let m = e.mul(w, f);
            let r = e.sub(d, m);
            Ok(e.add(lo, r))
        },
    },
    Builtin {
        name: "select",
        params: &[req("cond"), req("a"), req("b")],
        summary: "`a` where cond is non-zero, else `b`. With three inputs or more, `select index s0 s1 s2 …` is Phonon's: the input at round(index) mod N.",
        formula: "cond ≠ 0 ? a : b",
        lower: |e, a| Ok(e.select(a[0], a[1], a[2])),
    },
    Builtin {
        name: "mtof",
        params: &[req("note")],
        summary: "MIDI note number to frequency in Hz.",
        formula: "440·2^((note − 69)/12)",
        lower: |e, a| {
            let c69 = e.c(69.0);
            let d = e.sub(a[0], c69);
            let c12 = e.c(12.0);
            let x = e.div(d, c12);
            let two = e.c(2.0);
            let p = e.bin(BinOp::Pow, two, x);
            let c440 = e.c(440.0);
            Ok(e.mul(c440, p))
        },
    },
    Builtin {
        name: "dbamp",
        params: &[req("db")],
        summary: "Decibels to amplitude.",
        formula: "10^(db/20)",
        lower: |e, a| {
            let c20 = e.c(20.0);
            let x = e.div(a[0], c20);
            let ten = e.c(10.0);
            Ok(e.bin(BinOp::Pow, ten, x))
        },
    },
];
