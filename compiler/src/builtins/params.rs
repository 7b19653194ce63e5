//! Live parameters: values the outside world sets (OSC, MIDI) while the program plays.
//!
//! A parameter's value lives in the engine's parameter block, not in the program, so it
//! outlives every edit; the program only names it and says what it is until set.

use super::{maybe, maybe_text, opt, req, text, Builtin, Emitter};
use crate::ir::{CcMap, Curve, NodeId};

/// Longest smoothing time accepted, in seconds.
const MAX_SMOOTH: f64 = 60.0;

/// Smoothing of `param` when none is given: a 20 ms time constant (Faust's `si.smoo`
/// and the Chronus synth smooth their controls over 10–20 ms).
const DEFAULT_SMOOTH: f64 = 0.02;

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "param",
        params: &[
            text("name"),
            req("default"),
            opt("smooth", DEFAULT_SMOOTH),
            maybe("cc"),
            maybe("min"),
            maybe("max"),
            maybe_text("curve"),
        ],
        summary: "A live value set from outside (`/param cutoff 500` over OSC, MIDI CC as \
`ccN`), `default` until then, smoothed by a one-pole with time constant `smooth` \
seconds (0 = none). `:cc N :min a :max b` maps MIDI controller N (0–119) onto it, \
`:curve \"exp\"` in equal ratios (for frequencies). All arguments but the name are constants.",
        formula: "x = the value set (or default); p = exp(−1/(smooth·sr)); \
y[n] = x + p·(y[n−1] − x), y[−1] = x (a new call starts at the value); \
with :cc, CC value v sets x = min·(1 − v/127) + max·v/127 (lin) or min·(max/min)^(v/127) (exp), \
x = max exactly at v = 127",
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
            let cc = cc_map(e, a)?;
            let x = declare(e, name, default)?;
            if let Some(map) = cc {
                e.map_cc(name, map)?;
            }
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

/// Highest controller a name can be mapped to: 120–127 are channel mode messages (all
/// notes off and the like), which MIDI input handles itself.
const MAX_CC: f64 = 119.0;

/// The `:cc :min :max :curve` of a `param` call, checked; `None` when none is given.
fn cc_map(e: &Emitter, a: &[NodeId]) -> Result<Option<CcMap>, String> {
    let (cc, min, max, curve) = (e.given(3), e.given(4), e.given(5), e.given(6));
    if !cc {
        if min || max || curve {
            return Err(
                "`:min`, `:max` and `:curve` of `param` map a MIDI controller: give it with `:cc N`"
                    .into(),
            );
        }
        return Ok(None);
    }
    if !(min && max) {
        return Err("a controller mapping needs both ends: `:cc N :min a :max b`".into());
    }
    let number = constant(e, a[3], "controller (`:cc`)")?;
    if number.fract() != 0.0 || !(0.0..=MAX_CC).contains(&number) {
        return Err(format!(
            "`:cc` is a MIDI controller number, a whole number from 0 to {MAX_CC}, not {} (120–127 are channel mode messages)",
            crate::fmt_num(number)
        ));
    }
    let lo = constant(e, a[4], "`:min`")?;
    let hi = constant(e, a[5], "`:max`")?;
    if lo == hi {
        return Err(format!(
            "`:min` and `:max` are both {}: the controller would change nothing",
            crate::fmt_num(lo)
        ));
    }
    let curve = match e.text_opt(6) {
        None | Some("lin") => Curve::Lin,
        Some("exp") => Curve::Exp,
        Some(other) => return Err(format!("`:curve` is \"lin\" or \"exp\", not \"{other}\"")),
    };
    if curve == Curve::Exp && lo * hi <= 0.0 {
        return Err(format!(
            "an \"exp\" curve needs `:min` and `:max` of the same sign and not 0 (got {} and {}); use \"lin\" to cross 0",
            crate::fmt_num(lo),
            crate::fmt_num(hi)
        ));
    }
    Ok(Some(CcMap {
        controller: number as u8,
        min: lo,
        max: hi,
        curve,
    }))
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
