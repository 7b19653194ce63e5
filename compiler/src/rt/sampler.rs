//! The voices of an `s` pattern: for each chunk of frames, the events of its trigger table
//! (`crate::tables`) whose first frame falls in the chunk become triggers at their exact
//! offsets, and the voice pool (`kanon_samples::voice`, in a keyed buffer) renders the
//! chunk. Voices already sounding go on to their natural end through any edit; a new or
//! edited pattern only triggers events whose onset is still ahead.
//!
//! The cursor ([`LEN`] f64s) holds the next event and the frame it starts at; like a step
//! cursor it is recomputed from the clock when the table or the clock's epoch changed.

use super::clock::{self, Pos};
use crate::tables::{self, *};
use kanon_samples::voice::{self, Trigger};
use kanon_samples::SampleTable;

/// f64s in a sampler cursor buffer.
pub const LEN: usize = 8;
/// The frame of the next event's onset.
const NEXT: usize = 0;
/// That event's index in its period's rows, and the period.
const INDEX: usize = 1;
const PERIOD: usize = 2;
const FINGERPRINT: usize = 4;
const EPOCH: usize = 5;

/// Triggers gathered before the pool renders up to the next one.
const BATCH: usize = 32;

/// Renders `left.len()` frames from absolute frame `frame` into `left`/`right`
/// (overwritten). `samples` may be null (no library): the events pass silently.
/// Audio thread: no allocation, no lock, no panic.
#[allow(clippy::too_many_arguments)]
pub fn render(
    pool: &mut [f64],
    cursor: &mut [f64],
    table: &[f64],
    clock_state: &[f64],
    samples: Option<&SampleTable>,
    frame: u64,
    left: &mut [f64],
    right: &mut [f64],
) {
    let frames = left.len().min(right.len());
    left[..frames].fill(0.0);
    right[..frames].fill(0.0);
    let h = tables::header(table);
    let playable = clock::started(clock_state) && h.steady > 0 && h.period >= 1;
    let mut batch = [Trigger::new(0); BATCH];
    let mut count = 0;
    let mut at = 0usize;
    if playable {
        if cursor[FINGERPRINT] != h.fingerprint || cursor[EPOCH] != clock_state[clock::EPOCH] {
            seek(cursor, table, clock_state, frame);
        }
        let end = frame as i128 + frames as i128;
        loop {
            let next = cursor[NEXT] as i128;
            if next >= end {
                break;
            }
            if count == BATCH {
                let upto = (next - frame as i128).clamp(at as i128, frames as i128) as usize;
                flush(pool, samples, &batch[..count], at, upto, left, right);
                at = upto;
                count = 0;
            }
            let (rows, _) = tables::rows(table, cursor[PERIOD] as i128);
            let k = cursor[INDEX] as usize;
            let row = &rows[k * TRIGGER_ROW..(k + 1) * TRIGGER_ROW];
            if row[S_SAMPLE] >= 0.0 {
                let offset = (next - frame as i128).max(at as i128) as usize - at;
                batch[count] = trigger(row, offset as u32, clock_state);
                count += 1;
            }
            step(cursor, table, clock_state);
        }
    }
    flush(pool, samples, &batch[..count], at, frames, left, right);
}

fn flush(
    pool: &mut [f64],
    samples: Option<&SampleTable>,
    batch: &[Trigger],
    from: usize,
    to: usize,
    left: &mut [f64],
    right: &mut [f64],
) {
    if let Some(table) = samples {
        voice::render_block(
            pool,
            table,
            batch,
            &mut left[from..to],
            &mut right[from..to],
        );
    }
}

/// The voice controls of one event row.
fn trigger(row: &[f64], offset: u32, clock_state: &[f64]) -> Trigger {
    let cps = clock::cps(clock_state);
    let sr = clock::sample_rate(clock_state);
    let dur_secs = row[2] / row[3] / cps.max(1e-9);
    let mut sustain = 0.0;
    if row[S_LEGATO] > 0.0 {
        sustain = row[S_LEGATO] * dur_secs * sr;
    }
    if row[S_SUSTAIN] > 0.0 {
        sustain = row[S_SUSTAIN] * sr;
    }
    Trigger {
        offset,
        sample: row[S_SAMPLE] as u32,
        speed: row[S_SPEED],
        note: row[S_NOTE],
        accelerate: row[S_ACCELERATE],
        gain: row[S_GAIN],
        pan: row[S_PAN],
        begin: row[S_BEGIN],
        end: row[S_END],
        sustain,
        cps,
        shape: row[S_SHAPE],
        attack: row[S_ATTACK] * sr,
        release: row[S_RELEASE] * sr,
        cut: row[S_CUT] as i32,
        flags: row[S_FLAGS] as u32,
    }
}

/// The absolute onset of row `k` of period `m`.
fn onset(table: &[f64], k: usize, m: i128) -> Pos {
    let period = tables::header(table).period as i128;
    let r = &tables::rows(table, m).0[k * TRIGGER_ROW..];
    let (n, d) = (r[0] as i128, r[1] as i128);
    Pos::new(n + m * period * d, d)
}

/// Points the cursor at the first event whose first frame is at or after `frame`.
fn seek(cursor: &mut [f64], table: &[f64], clock_state: &[f64], frame: u64) {
    let h = tables::header(table);
    let period = h.period as i128;
    let before = clock::position(clock_state, frame as i128 - 1);
    let mut m = before.floor().div_euclid(period).max(0);
    // The first onset after `before` (in this period or a later one).
    loop {
        let (_, n) = tables::rows(table, m);
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if before.lt(onset(table, mid, m)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        if lo < n {
            set(cursor, table, clock_state, lo, m);
            break;
        }
        m += 1;
        if m > before.floor().div_euclid(period) + 2 {
            // An empty table: nothing ever.
            cursor[NEXT] = 9.0e15;
            break;
        }
    }
    cursor[FINGERPRINT] = h.fingerprint;
    cursor[EPOCH] = clock_state[clock::EPOCH];
}

/// Moves the cursor to the event after the current one.
fn step(cursor: &mut [f64], table: &[f64], clock_state: &[f64]) {
    let (mut k, mut m) = (cursor[INDEX] as usize + 1, cursor[PERIOD] as i128);
    if k >= tables::rows(table, m).1 {
        k = 0;
        m += 1;
    }
    set(cursor, table, clock_state, k, m);
}

fn set(cursor: &mut [f64], table: &[f64], clock_state: &[f64], k: usize, m: i128) {
    cursor[INDEX] = k as f64;
    cursor[PERIOD] = m as f64;
    cursor[NEXT] = clock::first_frame_at(clock_state, onset(table, k, m)) as f64;
}
