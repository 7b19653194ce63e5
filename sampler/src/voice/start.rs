//! Starting a voice: sanitising a trigger's controls, cut groups, stealing, and writing
//! the new voice's slot.

use super::layout::*;
use super::{
    fade_frames, polyphony, Trigger, CUT_FADE, EDGE_FADE, FLAG_MONO, FLAG_UNIT_CYCLES, STEAL_FADE,
};
use crate::math::{cos_turns, exp2, sin_turns};
use crate::store::SampleTable;

/// `x` if finite, else `default`.
fn finite_or(x: f64, default: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        default
    }
}

/// A fade to silence over `len` frames, continuing from the current level if the voice
/// is already fading (a fade in progress is never lengthened, and the level never jumps).
pub(super) fn begin_fade(v: &mut [f64], len: f64) {
    if v[STATE] == 2.0 {
        let left = v[FADE_LEFT];
        if len < left && left > 0.0 {
            let level = left / (v[FADE_LEN] + 1.0);
            v[FADE_LEFT] = len;
            v[FADE_LEN] = len / level - 1.0;
        }
    } else {
        v[STATE] = 2.0;
        v[FADE_LEFT] = len;
        v[FADE_LEN] = len;
    }
}

/// Equal-power pan gains for `p` in [0, 1]: (cos(pπ/2), sin(pπ/2)), exact at the ends.
fn pan_gains(p: f64) -> (f64, f64) {
    if p <= 0.0 {
        (1.0, 0.0)
    } else if p >= 1.0 {
        (0.0, 1.0)
    } else {
        (cos_turns(p / 4.0), sin_turns(p / 4.0))
    }
}

/// Starts a voice for `t` at the next frame rendered. Allocation-free; never panics.
///
/// A trigger whose sample has no data yet counts in [`SampleTable::missed`] and plays
/// nothing; one with speed 0 or an empty begin–end region plays nothing.
pub fn trigger(pool: &mut [f64], table: &SampleTable, t: &Trigger) {
    let voices = polyphony(pool.len());
    if voices == 0 {
        return;
    }
    let Some(sample) = table.get(t.sample) else {
        table.note_missed();
        return;
    };
    let frames = sample.frames() as f64;
    let sr = if table.sample_rate.is_finite() && table.sample_rate > 0.0 {
        table.sample_rate
    } else {
        48_000.0
    };

    // Rate: SuperDirt's speed × 2^(note/12), or in unit "c" speed × cps × duration (the
    // note cancels there: SuperDirt divides its unit duration by the same ratio).
    let speed = finite_or(t.speed, 1.0).clamp(-1e6, 1e6);
    let rate = if t.flags & FLAG_UNIT_CYCLES != 0 {
        let cps = finite_or(t.cps, 0.0).clamp(0.0, 1e6);
        speed * cps * frames / sr
    } else {
        speed * exp2(finite_or(t.note, 0.0).clamp(-240.0, 240.0) / 12.0)
    };
    if rate == 0.0 || !rate.is_finite() {
        return;
    }

    let mut begin = finite_or(t.begin, 0.0).clamp(0.0, 1.0);
    let mut end = finite_or(t.end, 1.0).clamp(0.0, 1.0);
    if begin > end {
        std::mem::swap(&mut begin, &mut end);
    }
    let (lo, hi) = (begin * frames, end * frames);
    if hi <= lo {
        return;
    }

    let mut sustain = if t.sustain.is_finite() && t.sustain > 0.0 {
        t.sustain.min(1e15).floor().max(1.0)
    } else {
        f64::INFINITY
    };

    // Accelerate (SuperDirt calcTimeSpan): the rate moves linearly from speed to
    // speed·(1 + accelerate) over the time the region takes at the average of the two
    // speeds (or the sustain, if shorter), and the sound ends there.
    let accelerate = finite_or(t.accelerate, 0.0).clamp(-1000.0, 1000.0);
    let (mut step, mut ramp) = (0.0, 0.0);
    if accelerate != 0.0 {
        let end_rate = rate * (1.0 + accelerate);
        let average = (rate.abs() + end_rate.abs()) / 2.0;
        let span = ((hi - lo) / average)
            .min(sustain)
            .min(1e15)
            .round()
            .max(1.0);
        step = (end_rate - rate) / span;
        ramp = span;
        sustain = sustain.min(span);
    }

    let gain = finite_or(t.gain, 0.0).clamp(0.0, 64.0);
    let (pan_l, pan_r) = if t.flags & FLAG_MONO != 0 {
        (1.0, 1.0)
    } else {
        pan_gains(finite_or(t.pan, 0.5).clamp(0.0, 1.0))
    };
    // SuperDirt dirt_shape: s = min(shape, 1 − 4e−10), k = 2s / (1 − s).
    let s = finite_or(t.shape, 0.0).clamp(0.0, 1.0 - 4e-10);
    let shape_k = 2.0 * s / (1.0 - s);
    let attack = finite_or(t.attack, 0.0).clamp(0.0, 1e12).round();
    let release = finite_or(t.release, 0.0).clamp(0.0, 1e12).round();

    // Edge fades (SuperDirt fadeTime, at most 0.19098 of the sustain).
    let edge = fade_frames(EDGE_FADE, table);
    let edge = if sustain.is_finite() {
        edge.min((sustain * 0.19098).floor())
    } else {
        edge
    };
    let (hold, sus_fade) = if sustain.is_finite() {
        (sustain - edge, edge)
    } else {
        (f64::INFINITY, 0.0)
    };
    let starts_inside = if rate > 0.0 { lo > 0.0 } else { hi < frames };
    let fade_in = if starts_inside { edge } else { 0.0 };
    let pos = if rate > 0.0 { lo } else { hi - 1.0 };

    // Cut groups (SuperDirt cutAllCuts): the new trigger's sign decides whether every
    // sample of the group stops or only the same sample.
    if t.cut != 0 {
        let group = t.cut.unsigned_abs() as f64;
        let cut_fade = fade_frames(CUT_FADE, table);
        for v in voice_slots(pool) {
            let same_group = v[CUT].abs() == group;
            let same_sample = v[SAMPLE] == t.sample as f64;
            if v[STATE] == 1.0 && same_group && (t.cut > 0 || same_sample) {
                begin_fade(v, cut_fade);
            }
        }
    }

    // Polyphony: at most `voices` sound at once; the oldest is stolen with a short fade.
    let sounding = voice_slots(pool).filter(|v| v[STATE] == 1.0).count();
    if sounding >= voices {
        let mut oldest: Option<&mut [f64]> = None;
        for v in voice_slots(pool) {
            if v[STATE] == 1.0 && oldest.as_ref().is_none_or(|o| v[SERIAL] < o[SERIAL]) {
                oldest = Some(v);
            }
        }
        if let Some(v) = oldest {
            begin_fade(v, fade_frames(STEAL_FADE, table));
        }
    }

    // A free slot, else the fading voice that is quietest now.
    let mut chosen: Option<usize> = None;
    let mut quietest = f64::INFINITY;
    for (i, v) in voice_slots(pool).enumerate() {
        if v[STATE] == 0.0 {
            chosen = Some(i);
            break;
        }
        if v[STATE] == 2.0 {
            let level = v[FADE_LEFT] / (v[FADE_LEN] + 1.0) * v[GAIN];
            if level < quietest || chosen.is_none() {
                quietest = level;
                chosen = Some(i);
            }
        }
    }
    let Some(index) = chosen else {
        return; // only reachable with a corrupted pool
    };

    let serial = finite_or(pool[H_SERIAL], 0.0).max(0.0);
    pool[H_SERIAL] = serial + 1.0;
    let v = &mut pool[HEADER + index * VOICE_SLOTS..][..VOICE_SLOTS];
    v[STATE] = 1.0;
    v[SAMPLE] = t.sample as f64;
    v[POS] = pos;
    v[RATE] = rate;
    v[RATE_STEP] = step;
    v[RAMP] = ramp;
    v[LO] = lo;
    v[HI] = hi;
    v[PAN_L] = pan_l;
    v[PAN_R] = pan_r;
    v[GAIN] = gain;
    v[SHAPE_K] = shape_k;
    v[CUT] = t.cut as f64;
    v[SERIAL] = serial;
    v[HOLD] = hold;
    v[SUS_FADE] = sus_fade;
    v[FADE_LEFT] = 0.0;
    v[FADE_LEN] = 0.0;
    v[FADE_IN_LEFT] = fade_in;
    v[FADE_IN_LEN] = fade_in;
    v[ENV_POS] = 0.0;
    v[ATTACK] = attack;
    v[RELEASE] = release;
    v[RESERVED] = 0.0;
}

/// The voice slots of a pool, mutably.
pub(super) fn voice_slots(pool: &mut [f64]) -> impl Iterator<Item = &mut [f64]> {
    let n = 2 * polyphony(pool.len());
    pool.get_mut(HEADER..HEADER + n * VOICE_SLOTS)
        .unwrap_or(&mut [])
        .chunks_exact_mut(VOICE_SLOTS)
}
