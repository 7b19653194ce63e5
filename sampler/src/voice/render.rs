//! Rendering voices into the output buffers, frame by frame.

use super::layout::*;
use super::start::{trigger, voice_slots};
use super::Trigger;
use crate::store::SampleTable;

/// The largest waveshaper k kept (s just below 1).
const MAX_SHAPE_K: f64 = 5e9;

/// Adds every voice into `left` and `right` for `min(left.len(), right.len())` frames.
/// Allocation-free, lock-free; never panics; the output is always finite.
pub fn render(pool: &mut [f64], table: &SampleTable, left: &mut [f64], right: &mut [f64]) {
    let frames = left.len().min(right.len());
    let (left, right) = (&mut left[..frames], &mut right[..frames]);
    for v in voice_slots(pool) {
        if v[STATE] != 0.0 {
            render_voice(v, table, left, right);
        }
    }
}

/// Renders one block with `triggers` starting at their `offset` frames: each trigger
/// takes effect at exactly its frame, so the output is the same whatever the block
/// size. Triggers are taken in slice order (give them sorted by offset; an offset
/// before an earlier one's is taken as the earlier one's), and an offset at or past the
/// block's end starts at the first frame of the next block.
pub fn render_block(
    pool: &mut [f64],
    table: &SampleTable,
    triggers: &[Trigger],
    left: &mut [f64],
    right: &mut [f64],
) {
    let frames = left.len().min(right.len());
    let mut at = 0usize;
    for t in triggers {
        let offset = (t.offset as usize).clamp(at, frames);
        if offset > at {
            render(pool, table, &mut left[at..offset], &mut right[at..offset]);
            at = offset;
        }
        trigger(pool, table, t);
    }
    if frames > at {
        render(pool, table, &mut left[at..frames], &mut right[at..frames]);
    }
}

/// Brings a slot's values into safe ranges, or returns false if it cannot be played
/// (a slice that was never a pool, or was overwritten, must not produce NaN or panic).
fn sane(v: &mut [f64]) -> bool {
    let finite = [
        POS,
        RATE,
        RATE_STEP,
        RAMP,
        LO,
        HI,
        PAN_L,
        PAN_R,
        GAIN,
        SHAPE_K,
        SUS_FADE,
        FADE_LEFT,
        FADE_LEN,
        FADE_IN_LEFT,
        FADE_IN_LEN,
        ENV_POS,
        ATTACK,
        RELEASE,
    ];
    if finite.iter().any(|&i| !v[i].is_finite()) || v[HOLD].is_nan() {
        return false;
    }
    v[PAN_L] = v[PAN_L].clamp(0.0, 1.0);
    v[PAN_R] = v[PAN_R].clamp(0.0, 1.0);
    v[GAIN] = v[GAIN].clamp(0.0, 64.0);
    v[SHAPE_K] = v[SHAPE_K].clamp(0.0, MAX_SHAPE_K);
    v[RATE] = v[RATE].clamp(-1e9, 1e9);
    v[RATE_STEP] = v[RATE_STEP].clamp(-1e9, 1e9);
    for i in [
        SUS_FADE,
        FADE_LEFT,
        FADE_LEN,
        FADE_IN_LEFT,
        FADE_IN_LEN,
        ENV_POS,
        ATTACK,
        RELEASE,
        RAMP,
    ] {
        v[i] = v[i].max(0.0);
    }
    v[FADE_LEFT] = v[FADE_LEFT].min(v[FADE_LEN]);
    v[FADE_IN_LEFT] = v[FADE_IN_LEFT].min(v[FADE_IN_LEN]);
    true
}

/// Catmull-Rom (4-point, 3rd-order Hermite) interpolation, as SuperCollider's
/// `cubicinterp` that SuperDirt's `BufRd` (interpolation 4) uses.
#[inline(always)]
fn hermite(y0: f64, y1: f64, y2: f64, y3: f64, t: f64) -> f64 {
    let c1 = 0.5 * (y2 - y0);
    let c2 = y0 - 2.5 * y1 + 2.0 * y2 - 0.5 * y3;
    let c3 = 0.5 * (y3 - y0) + 1.5 * (y1 - y2);
    ((c3 * t + c2) * t + c1) * t + y1
}

/// Channel `c` of frame `i`, 0 outside the sample.
#[inline(always)]
fn at(data: &[f32], channels: usize, frames: usize, i: isize, c: usize) -> f64 {
    if i >= 0 && (i as usize) < frames {
        data[i as usize * channels + c] as f64
    } else {
        0.0
    }
}

/// The sample at fractional frame `pos`, both channels (a mono sample twice).
#[inline(always)]
fn read(data: &[f32], channels: usize, frames: usize, pos: f64) -> (f64, f64) {
    // floor without `f64::floor`, which is a libm call on x86-64 without SSE4.1: truncate
    // (saturating), then step down for negative non-integers.
    let mut i = pos as isize;
    if i as f64 > pos {
        i = i.saturating_sub(1);
    }
    let t = pos - i as f64;
    let last = channels - 1;
    if t == 0.0 {
        // Exactly on a frame: the stored value itself (bit for bit at speed 1).
        return (
            at(data, channels, frames, i, 0),
            at(data, channels, frames, i, last),
        );
    }
    if i >= 1 && (i as usize).saturating_add(2) < frames {
        let s = &data[(i as usize - 1) * channels..(i as usize + 3) * channels];
        let y = |k: usize, c: usize| s[k * channels + c] as f64;
        let l = hermite(y(0, 0), y(1, 0), y(2, 0), y(3, 0), t);
        if channels == 1 {
            return (l, l);
        }
        return (l, hermite(y(0, 1), y(1, 1), y(2, 1), y(3, 1), t));
    }
    let ch = |c: usize| {
        hermite(
            at(data, channels, frames, i.saturating_sub(1), c),
            at(data, channels, frames, i, c),
            at(data, channels, frames, i.saturating_add(1), c),
            at(data, channels, frames, i.saturating_add(2), c),
            t,
        )
    };
    (ch(0), ch(last))
}

/// Where a steady stretch adds its output.
struct Out<'a> {
    left: &'a mut [f64],
    right: &'a mut [f64],
}

/// What a steady stretch needs of its voice.
struct Steady {
    rate: f64,
    lo: f64,
    hi: f64,
    pan_l: f64,
    pan_r: f64,
    gain: f64,
    k: f64,
}

impl Steady {
    /// The per-frame work of the general loop for a voice that is sounding with no fade,
    /// envelope or rate ramp, with the checks that cannot fire taken out and the channel
    /// count and waveshaper fixed at compile time; the arithmetic is the same, so the
    /// output is bit-identical to the general loop's. Returns the frames rendered and
    /// whether the voice left its region.
    #[inline(always)]
    fn run<const CH: usize, const SHAPED: bool>(
        &self,
        data: &[f32],
        pos: &mut f64,
        out: Out<'_>,
    ) -> (usize, bool) {
        let frames = data.len() / CH;
        let (gl, gr) = (self.pan_l * self.gain, self.pan_r * self.gain);
        let floor = self.lo - 1.0;
        let mut p = *pos;
        for (n, (l, r)) in out.left.iter_mut().zip(out.right.iter_mut()).enumerate() {
            let (x0, x1) = read_fixed::<CH>(data, frames, p);
            if SHAPED {
                *l += shape(x0 * self.pan_l, self.k) * self.gain;
                *r += shape(x1 * self.pan_r, self.k) * self.gain;
            } else {
                *l += x0 * gl;
                *r += x1 * gr;
            }
            p += self.rate;
            if !(p > floor && p < self.hi) {
                *pos = p;
                return (n + 1, true);
            }
        }
        *pos = p;
        (out.left.len(), false)
    }
}

/// [`read`] for a channel count known at compile time (1 or 2); the same values.
#[inline(always)]
fn read_fixed<const CH: usize>(data: &[f32], frames: usize, pos: f64) -> (f64, f64) {
    let mut i = pos as isize;
    if i as f64 > pos {
        i = i.saturating_sub(1);
    }
    let t = pos - i as f64;
    if t != 0.0 && i >= 1 && (i as usize).saturating_add(2) < frames {
        let s = &data[(i as usize - 1) * CH..(i as usize + 3) * CH];
        let l = hermite(
            s[0] as f64,
            s[CH] as f64,
            s[2 * CH] as f64,
            s[3 * CH] as f64,
            t,
        );
        if CH == 1 {
            return (l, l);
        }
        let r = hermite(
            s[1] as f64,
            s[CH + 1] as f64,
            s[2 * CH + 1] as f64,
            s[3 * CH + 1] as f64,
            t,
        );
        return (l, r);
    }
    read(data, CH, frames, pos)
}

/// SuperDirt's `dirt_shape`: (1 + k)·x / (1 + k·|x|).
#[inline(always)]
fn shape(x: f64, k: f64) -> f64 {
    (1.0 + k) * x / (1.0 + k * x.abs())
}

/// Adds one voice into the buffers until it ends or the buffers do.
fn render_voice(v: &mut [f64], table: &SampleTable, left: &mut [f64], right: &mut [f64]) {
    let sample = if v[SAMPLE] >= 0.0 && v[SAMPLE] <= u32::MAX as f64 {
        table.get(v[SAMPLE] as u32)
    } else {
        None
    };
    let Some(sample) = sample.filter(|_| sane(v)) else {
        v[STATE] = 0.0;
        return;
    };
    let (data, channels, frames) = (sample.data, sample.channels, sample.frames());
    let mut state = v[STATE];
    let (mut pos, mut rate, step, mut ramp) = (v[POS], v[RATE], v[RATE_STEP], v[RAMP]);
    let (lo, hi) = (v[LO], v[HI]);
    let (pan_l, pan_r, gain, k) = (v[PAN_L], v[PAN_R], v[GAIN], v[SHAPE_K]);
    let (mut hold, sus_fade) = (v[HOLD], v[SUS_FADE]);
    let (mut fade_left, mut fade_len) = (v[FADE_LEFT], v[FADE_LEN]);
    let (mut in_left, in_len) = (v[FADE_IN_LEFT], v[FADE_IN_LEN]);
    let (mut env_pos, attack, release) = (v[ENV_POS], v[ATTACK], v[RELEASE]);
    let enveloped = attack > 0.0 || release > 0.0;

    let total = left.len().min(right.len());
    let mut f = 0;
    while f < total {
        // Steady stretch: sounding, no fade, envelope or ramp, sustain not about to end.
        let steady_frames = if hold.is_infinite() {
            total - f
        } else if hold > 1.0 {
            ((hold - 1.0) as usize).min(total - f)
        } else {
            0
        };
        if state == 1.0 && in_left <= 0.0 && !enveloped && ramp <= 0.0 && steady_frames > 0 {
            let out = Out {
                left: &mut left[f..f + steady_frames],
                right: &mut right[f..f + steady_frames],
            };
            let voice = Steady {
                rate,
                lo,
                hi,
                pan_l,
                pan_r,
                gain,
                k,
            };
            let (done, ended) = match (channels, k == 0.0) {
                (1, true) => voice.run::<1, false>(data, &mut pos, out),
                (1, false) => voice.run::<1, true>(data, &mut pos, out),
                (_, true) => voice.run::<2, false>(data, &mut pos, out),
                (_, false) => voice.run::<2, true>(data, &mut pos, out),
            };
            f += done;
            // Whole numbers below 2^53: adding `done` at once is exact.
            hold -= done as f64;
            env_pos += done as f64;
            if ended {
                state = 0.0;
                break;
            }
            continue;
        }
        let (l, r) = (&mut left[f], &mut right[f]);
        f += 1;
        let mut a = gain;
        if state == 2.0 {
            a *= fade_left / (fade_len + 1.0);
        }
        if in_left > 0.0 {
            a *= (in_len - in_left + 1.0) / (in_len + 1.0);
            in_left -= 1.0;
        }
        if enveloped {
            let e = if env_pos < attack {
                (env_pos + 1.0) / attack
            } else if release > 0.0 {
                (release - (env_pos - attack)) / release
            } else {
                1.0
            };
            // In range for any state trigger() writes; the clamp guards a corrupted one.
            a *= e.clamp(0.0, 1.0);
        }
        let (x0, x1) = read(data, channels, frames, pos);
        if k == 0.0 {
            *l += x0 * (pan_l * a);
            *r += x1 * (pan_r * a);
        } else {
            *l += shape(x0 * pan_l, k) * a;
            *r += shape(x1 * pan_r, k) * a;
        }

        // Advance, then end the voice right after its last frame.
        pos += rate;
        if ramp > 0.0 {
            rate += step;
            ramp -= 1.0;
        }
        env_pos += 1.0;
        hold -= 1.0;
        if state == 2.0 {
            fade_left -= 1.0;
            if fade_left <= 0.0 {
                state = 0.0;
            }
        } else if hold <= 0.0 {
            if sus_fade >= 1.0 {
                state = 2.0;
                fade_left = sus_fade;
                fade_len = sus_fade;
            } else {
                state = 0.0;
            }
        }
        let outside = !(pos > lo - 1.0 && pos < hi);
        let envelope_done = release > 0.0 && env_pos >= attack + release;
        if outside || envelope_done {
            state = 0.0;
        }
        if state == 0.0 {
            break;
        }
    }
    v[STATE] = state;
    v[POS] = pos;
    v[RATE] = rate;
    v[RAMP] = ramp;
    v[HOLD] = hold;
    v[FADE_LEFT] = fade_left;
    v[FADE_LEN] = fade_len;
    v[FADE_IN_LEFT] = in_left;
    v[ENV_POS] = env_pos;
}
