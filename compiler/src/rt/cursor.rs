//! A pattern played as a signal: its cursor finds the current step of its step table
//! (`crate::tables`) from the exact cycle position, and the frame at which the next step
//! begins. The block function compares the frame with that (one comparison a frame) and
//! calls [`advance`] only when it is reached, so a pattern costs a lookup, not a query.
//!
//! The cursor ([`LEN`] f64s in a keyed buffer) is a cache of what the clock and the table
//! determine: whenever the table (an edit) or the clock's epoch (a tempo change) differs
//! from what it was computed for, [`sync`] makes the next frame look again. So an edited
//! pattern takes over at the swap frame on the beat grid, and an event is triggered only
//! at the first frame at or after its onset: never again because of a swap.

use super::clock::{self, Pos};
use crate::tables::{self, STEP_ROW};

/// f64s in a cursor buffer.
pub const LEN: usize = 8;
/// The frame at which the cursor must look again.
pub const NEXT: usize = 0;
/// The current value.
pub const VALUE: usize = 3;
const FINGERPRINT: usize = 4;
const EPOCH: usize = 5;
/// The last frame on which an event started.
pub const TRIGGERED: usize = 6;

/// Far beyond any frame: "no change coming".
const NEVER: f64 = 9.0e15;

/// At the start of every block: look again at the first frame if the table or the
/// clock's epoch changed since the cursor was computed.
pub fn sync(cursor: &mut [f64], table: &[f64], clock_state: &[f64]) {
    let fp = tables::header(table).fingerprint;
    if cursor[FINGERPRINT] != fp || cursor[EPOCH] != clock_state[clock::EPOCH] {
        cursor[NEXT] = -1.0;
    }
}

/// At `frame` (≥ the cursor's `NEXT`): the current value, whether an event starts at
/// this frame, and the frame of the next change.
pub fn advance(cursor: &mut [f64], table: &[f64], clock_state: &[f64], frame: u64) {
    let h = tables::header(table);
    if !clock::started(clock_state) || h.steady == 0 || h.period < 1 {
        cursor[VALUE] = 0.0;
        cursor[NEXT] = NEVER;
        return;
    }
    let frame = frame as i128;
    let now = clock::position(clock_state, frame);
    let before = clock::position(clock_state, frame - 1);
    let period = h.period as i128;
    let m = now.n.div_euclid(now.d * period);
    let (rows, n) = tables::rows(table, m);
    let start = |k: usize, m: i128| -> Pos {
        let r = &rows[k * STEP_ROW..];
        let (sn, sd) = (r[0] as i128, r[1] as i128);
        Pos::new(sn + m * period * sd, sd)
    };
    // The last step starting at or before now (steps start at 0, so there is one).
    let (mut lo, mut hi) = (0usize, n);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if now.lt(start(mid, m)) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let k = lo;
    cursor[VALUE] = rows[k * STEP_ROW + 2];
    // An onset in (before, now]? Walk back over the steps that started since the last
    // frame (a handful at most; bounded for safety).
    let mut triggered = false;
    let (mut j, mut mj) = (k, m);
    for _ in 0..64 {
        let s = start_in(table, j, mj, period);
        if !before.lt(s) {
            break;
        }
        let rows_j = tables::rows(table, mj).0;
        if rows_j[j * STEP_ROW + 3] != 0.0 {
            triggered = true;
            break;
        }
        if j == 0 {
            if mj == 0 {
                break;
            }
            mj -= 1;
            j = tables::rows(table, mj).1 - 1;
        } else {
            j -= 1;
        }
    }
    if triggered {
        cursor[TRIGGERED] = frame as f64;
    }
    let next = if k + 1 < n {
        start(k + 1, m)
    } else {
        Pos::new((m + 1) * period, 1)
    };
    let at = clock::first_frame_at(clock_state, next).max(frame + 1);
    cursor[NEXT] = (at as f64).min(NEVER);
    cursor[FINGERPRINT] = h.fingerprint;
    cursor[EPOCH] = clock_state[clock::EPOCH];
}

/// The absolute start of step `k` of period `m`.
fn start_in(table: &[f64], k: usize, m: i128, period: i128) -> Pos {
    let r = &tables::rows(table, m).0[k * STEP_ROW..];
    let (sn, sd) = (r[0] as i128, r[1] as i128);
    Pos::new(sn + m * period * sd, sd)
}
