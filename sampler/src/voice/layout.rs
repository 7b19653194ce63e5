//! Where everything lives in a voice pool slice (all values `f64`).
//!
//! ```text
//! pool = [ header: HEADER slots | slot 0: VOICE_SLOTS | slot 1 | ... ]
//! ```
//!
//! A pool for `voices` voices has `2 · voices` slots: at most `voices` sound at once,
//! and the other half gives a stolen or cut voice room to finish its fade while the new
//! voice starts. An all-zero slice is a valid, silent pool, so a fresh state slot of the
//! right length needs no initialisation. Values are plain numbers (ids and counts are
//! stored exactly as integers below 2^53), so copying the slice carries every voice,
//! mid-sound, into a new program.

/// Header slots before the first voice.
pub const HEADER: usize = 4;
/// Header: the serial number the next trigger gets (oldest voice = smallest serial).
pub const H_SERIAL: usize = 0;

/// Slots per voice.
pub const VOICE_SLOTS: usize = 24;

/// 0 idle, 1 sounding, 2 fading out (stolen, cut, or at the end of its sustain).
pub const STATE: usize = 0;
/// The sample id.
pub const SAMPLE: usize = 1;
/// Read position in the sample, in frames (fractional).
pub const POS: usize = 2;
/// Sample frames advanced per output frame (negative: backwards).
pub const RATE: usize = 3;
/// Change of `RATE` per frame while `RAMP` > 0 (accelerate).
pub const RATE_STEP: usize = 4;
/// Frames of rate ramp left.
pub const RAMP: usize = 5;
/// Region start in frames (`begin · frames`).
pub const LO: usize = 6;
/// Region end in frames (`end · frames`); the voice plays while LO − 1 < POS < HI.
pub const HI: usize = 7;
/// Left pan gain (cos of the pan angle; 1 in mono mode).
pub const PAN_L: usize = 8;
/// Right pan gain (sin of the pan angle; 1 in mono mode).
pub const PAN_R: usize = 9;
/// Linear gain.
pub const GAIN: usize = 10;
/// Waveshaper amount k = 2s / (1 − s) (0: off).
pub const SHAPE_K: usize = 11;
/// Cut group as triggered (0: none).
pub const CUT: usize = 12;
/// Trigger serial number.
pub const SERIAL: usize = 13;
/// Frames left before the sustain fade starts (+∞: no sustain).
pub const HOLD: usize = 14;
/// Length of the sustain fade in frames.
pub const SUS_FADE: usize = 15;
/// Frames left of the fade-out in progress (state 2).
pub const FADE_LEFT: usize = 16;
/// Length of that fade-out.
pub const FADE_LEN: usize = 17;
/// Frames left of the fade-in (a start inside the sample).
pub const FADE_IN_LEFT: usize = 18;
/// Length of that fade-in.
pub const FADE_IN_LEN: usize = 19;
/// Frames since the voice started (drives the AR envelope).
pub const ENV_POS: usize = 20;
/// AR envelope attack in frames (0: none).
pub const ATTACK: usize = 21;
/// AR envelope release in frames (0: none).
pub const RELEASE: usize = 22;
/// Reserved (0).
pub const RESERVED: usize = 23;
