//! Filters: the RBJ Audio-EQ Cookbook biquads (direct form I, normalised by r = 1/a0,
//! coefficients recomputed from the current cutoff and q every sample, folded to
//! constants when both are constant), a one-pole smoother and `lag`. The parts
//! themselves are in [`super::dsp`].

use super::dsp::{self, Response};
use super::{opt, req, Builtin, Emitter};
use crate::ir::{NodeId, UnOp};

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "lpf",
        params: &[req("input"), req("cutoff"), opt("q", 0.707)],
        summary: "Resonant low-pass (RBJ biquad).",
        formula: "b1 = (1 − cos w)·r, b0 = b2 = b1·0.5; see biquads",
        lower: |e, a| rbj(e, a, Response::Low),
    },
    Builtin {
        name: "hpf",
        params: &[req("input"), req("cutoff"), opt("q", 0.707)],
        summary: "Resonant high-pass (RBJ biquad).",
        formula: "b0 = b2 = ((1 + cos w)·r)·0.5, b1 = −(1 + cos w)·r; see biquads",
        lower: |e, a| rbj(e, a, Response::High),
    },
    Builtin {
        name: "bpf",
        params: &[req("input"), req("cutoff"), opt("q", 0.707)],
        summary: "Band-pass, 0 dB peak (RBJ biquad).",
        formula: "b0 = α·r, b1 = 0, b2 = −α·r; see biquads",
        lower: |e, a| rbj(e, a, Response::Band),
    },
    Builtin {
        name: "notch",
        params: &[req("input"), req("cutoff"), opt("q", 0.707)],
        summary: "Notch (RBJ biquad).",
        formula: "b0 = b2 = r, b1 = −2·cos(w)·r; see biquads",
        lower: |e, a| rbj(e, a, Response::Notch),
    },
    Builtin {
        name: "onepole",
        params: &[req("input"), req("coef")],
        summary: "One-pole smoother; coef 1 passes the input, smaller is smoother.",
        formula: "y ← y + coef·(x − y), output the new y, y starts at 0",
        lower: |e, a| dsp::onepole(e, "", a[0], a[1]),
    },
    Builtin {
        name: "lag",
        params: &[req("input"), req("secs")],
        summary: "One-pole smoother with a time constant in seconds.",
        formula: "onepole with coef = 1 − exp(−1/(secs·sr))",
        lower: |e, a| {
            let coef = lag_coef(e, a[1]);
            dsp::onepole(e, "", a[0], coef)
        },
    },
];

/// `lpf`, `hpf`, `bpf`, `notch`: input, cutoff, q.
fn rbj(e: &mut Emitter, a: &[NodeId], response: Response) -> Result<NodeId, String> {
    let c = dsp::rbj(e, response, a[1], a[2]);
    dsp::biquad(e, "", a[0], c)
}

/// `1 − exp(−1/(secs·sr))`: the one-pole coefficient of a time constant.
fn lag_coef(e: &mut Emitter, secs: NodeId) -> NodeId {
    let sr = e.c(e.sr());
    let t = e.mul(secs, sr);
    let minus_one = e.c(-1.0);
    let r = e.div(minus_one, t);
    let x = e.un(UnOp::Exp, r);
    let one = e.c(1.0);
    e.sub(one, x)
}
