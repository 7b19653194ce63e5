//! Sample voices for the audio thread: a fixed pool whose whole state lives in a
//! caller-provided `&mut [f64]` (see [`layout`]), started by [`Trigger`]s at exact frames
//! and rendered by adding into `f64` buffers.
//!
//! Everything here is allocation-free, lock-free, makes no system calls and does not
//! panic on any input: control values are sanitised (NaN, ±∞, absurd magnitudes) when a
//! trigger starts a voice, a pool slice of the wrong length or holding garbage is
//! handled, and the output is always finite.
//!
//! Output buffers are `f64` because the block function's signals are `f64`: samples
//! (stored as `f32`) convert exactly, a sum of many voices loses nothing before the
//! program's own processing, and speed 1, gain 1 reproduces the sample bit for bit.
//!
//! Control semantics follow SuperDirt (musikinformatik/SuperDirt: `DirtEvent.sc`
//! `calcTimeSpan`, `core-synths.scd` `dirt_sample` and `dirt_shape`, `core-modules.scd`)
//! except where docs/samples.md says otherwise (gain is linear, as in Strudel and Phonon).

pub mod layout;
mod render;
mod start;

use crate::store::SampleTable;
use layout::*;

pub use render::{render, render_block};
pub use start::trigger;

/// Voices in a pool, by default.
pub const DEFAULT_VOICES: usize = 64;
/// Fade applied to a voice stopped by a cut group, in seconds (SuperDirt's `fadeTime`).
pub const CUT_FADE: f64 = 0.001;
/// Fade applied to a stolen voice, in seconds.
pub const STEAL_FADE: f64 = 0.002;
/// Longest fade at the end of a sustain, and the fade-in of a start inside the sample,
/// in seconds (SuperDirt's `fadeTime`); never more than 0.19098 of the sustain.
pub const EDGE_FADE: f64 = 0.001;

/// Trigger flag: ignore pan and play each channel at exactly `gain` (a mono sample goes
/// to both outputs unchanged at gain 1).
pub const FLAG_MONO: u32 = 1;
/// Trigger flag: `unit "c"`, speed in cycles: rate = speed · cps · (sample seconds).
pub const FLAG_UNIT_CYCLES: u32 = 2;

/// One event for the voice pool (`#[repr(C)]`, 112 bytes: compiled code may fill it).
///
/// ```text
///  0 offset u32   4 sample u32   8 speed   16 note   24 accelerate   32 gain
/// 40 pan    48 begin   56 end   64 sustain   72 cps   80 shape   88 attack
/// 96 release   104 cut i32   108 flags u32
/// ```
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trigger {
    /// Frame within the block where the voice starts ([`render_block`] only).
    pub offset: u32,
    /// The sample id (the caller resolves `s` and `n`).
    pub sample: u32,
    /// Playback rate; negative plays backwards from the end; 0 plays nothing.
    pub speed: f64,
    /// Semitones up (`note` + `up`): rate × 2^(note/12).
    pub note: f64,
    /// Rate change over the sound: the rate moves linearly to speed · (1 + accelerate).
    pub accelerate: f64,
    /// Linear gain, 0 to 64.
    pub gain: f64,
    /// Pan, 0 (left) to 1 (right), equal power.
    pub pan: f64,
    /// Start, as a fraction of the sample.
    pub begin: f64,
    /// End, as a fraction of the sample.
    pub end: f64,
    /// Frames the voice lasts (its fade included); 0 or less: play to the end.
    pub sustain: f64,
    /// Cycles per second, for [`FLAG_UNIT_CYCLES`].
    pub cps: f64,
    /// SuperDirt's waveshaper amount, 0 (off) to just below 1.
    pub shape: f64,
    /// AR envelope attack in frames (Faust `en.ar` semantics); 0: none.
    pub attack: f64,
    /// AR envelope release in frames; 0: none.
    pub release: f64,
    /// Cut group: a positive group stops earlier voices of the group; a negative one only
    /// those playing the same sample. 0: none.
    pub cut: i32,
    /// [`FLAG_MONO`] and [`FLAG_UNIT_CYCLES`].
    pub flags: u32,
}

impl Trigger {
    /// A trigger for `sample` with every control at its default (speed 1, gain 1, pan 0.5).
    pub fn new(sample: u32) -> Trigger {
        Trigger {
            offset: 0,
            sample,
            speed: 1.0,
            note: 0.0,
            accelerate: 0.0,
            gain: 1.0,
            pan: 0.5,
            begin: 0.0,
            end: 1.0,
            sustain: 0.0,
            cps: 0.0,
            shape: 0.0,
            attack: 0.0,
            release: 0.0,
            cut: 0,
            flags: 0,
        }
    }

    /// The same trigger at frame `offset` of the block.
    pub fn at(mut self, offset: u32) -> Trigger {
        self.offset = offset;
        self
    }

    /// The same trigger in mono mode ([`FLAG_MONO`]).
    pub fn mono(mut self) -> Trigger {
        self.flags |= FLAG_MONO;
        self
    }
}

/// The slice length for a pool of `voices` voices.
pub const fn pool_len(voices: usize) -> usize {
    HEADER + 2 * voices * VOICE_SLOTS
}

/// The number of voices a pool slice of this length holds (0 if it is too short).
pub const fn polyphony(pool_len: usize) -> usize {
    pool_len.saturating_sub(HEADER) / (2 * VOICE_SLOTS)
}

/// Voices sounding or fading out now.
pub fn active(pool: &[f64]) -> usize {
    slots(pool).filter(|v| v[STATE] != 0.0).count()
}

/// Silences every voice at once (no fade): for a reset, not for a live edit.
pub fn clear(pool: &mut [f64]) {
    pool.iter_mut().for_each(|x| *x = 0.0);
}

/// Copies the voices of `old` into `new`, pools of any sizes (for an edit that changes
/// the pool size); voices that do not fit are dropped, oldest first. Allocation-free.
pub fn migrate(old: &[f64], new: &mut [f64]) {
    clear(new);
    if new.len() < HEADER || old.len() < HEADER {
        return;
    }
    new[H_SERIAL] = old[H_SERIAL];
    let room = 2 * polyphony(new.len());
    let mut taken = 0;
    let mut newer_than = f64::INFINITY;
    // Newest first: repeatedly pick the largest serial below the last one taken.
    while taken < room {
        let mut best: Option<(usize, f64)> = None;
        for (i, v) in slots(old).enumerate() {
            let fresher = best.is_none_or(|(_, s)| v[SERIAL] > s);
            if v[STATE] != 0.0 && v[SERIAL] < newer_than && fresher {
                best = Some((i, v[SERIAL]));
            }
        }
        let Some((i, serial)) = best else { break };
        newer_than = serial;
        let src = &old[HEADER + i * VOICE_SLOTS..][..VOICE_SLOTS];
        new[HEADER + taken * VOICE_SLOTS..][..VOICE_SLOTS].copy_from_slice(src);
        taken += 1;
    }
}

/// The voice slots of a pool.
fn slots(pool: &[f64]) -> impl Iterator<Item = &[f64]> {
    let n = 2 * polyphony(pool.len());
    pool.get(HEADER..HEADER + n * VOICE_SLOTS)
        .unwrap_or(&[])
        .chunks_exact(VOICE_SLOTS)
}

/// Fade lengths in frames at the table's rate.
fn fade_frames(seconds: f64, table: &SampleTable) -> f64 {
    let sr = table.sample_rate;
    if sr.is_finite() && sr > 0.0 {
        (seconds * sr).round().max(1.0)
    } else {
        1.0
    }
}

/// C entry points for compiled code: the same functions over raw pointers.
pub mod ffi {
    use super::{render, render_block, trigger, Trigger};
    use crate::store::SampleTable;

    /// [`trigger`] over raw parts. Null pointers do nothing.
    ///
    /// # Safety
    /// `pool` must point to `pool_len` writable `f64`s, `table` to a live table, and
    /// `t` to a readable [`Trigger`], none of them aliased by Rust references.
    pub unsafe extern "C" fn kanon_voice_trigger(
        pool: *mut f64,
        pool_len: usize,
        table: *const SampleTable,
        t: *const Trigger,
    ) {
        if pool.is_null() || table.is_null() || t.is_null() {
            return;
        }
        // SAFETY: guaranteed by the caller as documented.
        let (pool, table, t) =
            unsafe { (std::slice::from_raw_parts_mut(pool, pool_len), &*table, &*t) };
        trigger(pool, table, t);
    }

    /// [`render`] over raw parts. Null pointers do nothing.
    ///
    /// # Safety
    /// `pool` must point to `pool_len` writable `f64`s, `table` to a live table, and
    /// `left`/`right` to `frames` writable `f64`s each, none of them overlapping.
    pub unsafe extern "C" fn kanon_voice_render(
        pool: *mut f64,
        pool_len: usize,
        table: *const SampleTable,
        left: *mut f64,
        right: *mut f64,
        frames: usize,
    ) {
        if pool.is_null() || table.is_null() || left.is_null() || right.is_null() {
            return;
        }
        // SAFETY: guaranteed by the caller as documented.
        unsafe {
            render(
                std::slice::from_raw_parts_mut(pool, pool_len),
                &*table,
                std::slice::from_raw_parts_mut(left, frames),
                std::slice::from_raw_parts_mut(right, frames),
            )
        }
    }

    /// [`render_block`] over raw parts. Null pointers do nothing (a null `triggers` with
    /// `count` 0 is allowed).
    ///
    /// # Safety
    /// As [`kanon_voice_render`], and `triggers` must point to `count` readable triggers.
    pub unsafe extern "C" fn kanon_voice_render_block(
        pool: *mut f64,
        pool_len: usize,
        table: *const SampleTable,
        triggers: *const Trigger,
        count: usize,
        left: *mut f64,
        right: *mut f64,
        frames: usize,
    ) {
        if pool.is_null() || table.is_null() || left.is_null() || right.is_null() {
            return;
        }
        // SAFETY: guaranteed by the caller as documented.
        unsafe {
            let triggers = if triggers.is_null() {
                &[][..]
            } else {
                std::slice::from_raw_parts(triggers, count)
            };
            render_block(
                std::slice::from_raw_parts_mut(pool, pool_len),
                &*table,
                triggers,
                std::slice::from_raw_parts_mut(left, frames),
                std::slice::from_raw_parts_mut(right, frames),
            )
        }
    }
}
