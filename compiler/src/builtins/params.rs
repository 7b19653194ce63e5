//! Live parameters: values the outside world sets (OSC, MIDI) while the program plays.
//!
//! A parameter's value lives in the engine's parameter block, not in the program, so it
//! outlives every edit; the program only names it and says what it is until set.

use super::{opt, req, text, Builtin, Emitter};
use crate::ir::NodeId;

/// Longest smoothing time accepted, in seconds.
const MAX_SMOOTH: f64 = 60.0;

/// Smoothing of `param` when none is given: a 20 ms time constant (Faust's `si.smoo`
/// and the Chronus synth smooth their controls over 10–20 ms).
const DEFAULT_SMOOTH: f64 = 0.02;

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "param",
        params: &[text("name"), req("default"), opt("smooth", DEFAULT_SMOOTH)],
        summary: "A live value set from outside (`/param cutoff 500` over OSC, MIDI CC as \
`ccN`), `default` until then, smoothed by a one-pole with time constant `smooth` \
seconds (0 = none). `default` and `smooth` must be constants.",
        formula: "x = the value set (or default); p = exp(−1/(smooth·sr)); \
y[n] = x + p·(y[n−1] − x), y[−1] = x (a new call starts at the value)",
        lower: |e, a| {
            let name = e.text(0)?;
            let default = constant(e, a[1], "default")?;
            let smooth = constant(e, a[2], "smoothing time")?;
            if !(0.0..=MAX_SMOOTH).contains(&smooth) {
                return Err(format!(
                    "the smoothing time of `param` is 0 to {MAX_SMOOTH} seconds, not {}",
                    crate::fmt_num(smooth)
                ));
            }
            let x = declare(e, name, default)?;
            smoothed(e, x, smooth)
        },
    },
    Builtin {
        name: "midinote",
        params: &[],
        summary: "The MIDI note number of the key played last and still held (`--midi`), \
60 until one is played; stays on the last note after release.",
        formula: "param \"midinote\" 60 0",
        lower: |e, _| declare(e, "midinote", 60.0),
    },
    Builtin {
        name: "midigate",
        params: &[],
        summary: "1 while any key is held (`--midi`), else 0.",
        formula: "param \"midigate\" 0 0",
        lower: |e, _| declare(e, "midigate", 0.0),
    },
    Builtin {
        name: "midivel",
        params: &[],
        summary: "The velocity of the key that `midinote` plays, 0 to 1 (`--midi`).",
        formula: "param \"midivel\" 0 0",
        lower: |e, _| declare(e, "midivel", 0.0),
    },
];

fn constant(e: &Emitter, n: NodeId, what: &str) -> Result<f64, String> {
    e.constant(n)
        .filter(|v| v.is_finite())
        .ok_or_else(|| format!("the {what} of `param` must be a constant number"))
}

/// The raw value of parameter `name`, after checking the name.
fn declare(e: &mut Emitter, name: &str, default: f64) -> Result<NodeId, String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !ok {
        return Err(format!(
            "`{name}` is not a parameter name: use letters, digits and `_` (up to 64), as in \"cutoff\" or \"cc74\""
        ));
    }
    e.param(name, default)
}

/// `x` through a one-pole with time constant `secs`, starting at `x` itself.
fn smoothed(e: &mut Emitter, x: NodeId, secs: f64) -> Result<NodeId, String> {
    if secs == 0.0 {
        return Ok(x);
    }
    let pole = (-1.0 / (secs * e.sr())).exp();
    // A fresh smoother (a new call, or one whose key moved) starts at the value, not at
    // 0: there is nothing to glide from.
    let (on, started) = e.state("on", 0.0)?;
    let (y, prev) = e.state("y", 0.0)?;
    let from = e.select(started, prev, x);
    let p = e.c(pole);
    let d = e.sub(from, x);
    let pd = e.mul(p, d);
    let out = e.add(x, pd);
    e.set_next(y, out);
    let one = e.c(1.0);
    e.set_next(on, one);
    Ok(out)
}
