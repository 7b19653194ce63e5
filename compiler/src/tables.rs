//! Patterns turned into tables at compile time. A pattern without randomness repeats
//! after a whole number of cycles, and Tidal's random numbers repeat after 300
//! (`kanon_pattern::period`), so one period of events is computed once, here, and the
//! block function only looks things up (`crate::rt`).
//!
//! Both layouts are flat `f64` arrays, every number exact (times as integer fractions
//! below 2⁵³):
//!
//! ```text
//! header  [0] period P (cycles)  [1] fingerprint  [2] n steady  [3] n first  [4] row width W
//! rows    n steady rows of W, then n first rows (the first period, when it differs)
//! ```
//!
//! A **step table** (a pattern as a signal) has one row per segment of constant value
//! covering `[0, P)`: `start_num, start_den, value, onset` (`onset` 1 when an event starts
//! there). A **trigger table** (an `s` pattern) has one row per event:
//! `onset_num, onset_den, dur_num, dur_den` then the voice controls [`S_SAMPLE`]….
//! The fingerprint lets a cursor notice that an edit gave it another table.

use kanon_pattern::period::{EventTable, TableEvent};
use kanon_pattern::Time;

/// Header length.
pub const HEADER: usize = 5;
/// Row width of a step table.
pub const STEP_ROW: usize = 4;

/// Columns of a trigger table row after the four time columns.
pub const S_SAMPLE: usize = 4;
pub const S_SPEED: usize = 5;
pub const S_NOTE: usize = 6;
pub const S_ACCELERATE: usize = 7;
pub const S_GAIN: usize = 8;
pub const S_PAN: usize = 9;
pub const S_BEGIN: usize = 10;
pub const S_END: usize = 11;
/// Sustain as a multiple of the event's length (`legato`), 0: none.
pub const S_LEGATO: usize = 12;
pub const S_CUT: usize = 13;
pub const S_SHAPE: usize = 14;
/// Attack and release in seconds (`# ar a r`).
pub const S_ATTACK: usize = 15;
pub const S_RELEASE: usize = 16;
/// `kanon_samples::voice` flags (mono, unit cycles).
pub const S_FLAGS: usize = 17;
/// Sustain in seconds (`sustain`), 0: none.
pub const S_SUSTAIN: usize = 18;
/// Row width of a trigger table.
pub const TRIGGER_ROW: usize = 19;

/// Most rows a table may have (its events in one period).
pub const MAX_ROWS: usize = 200_000;

/// A table's header fields.
#[derive(Clone, Copy, Debug)]
pub struct Header {
    pub period: i64,
    pub fingerprint: f64,
    pub steady: usize,
    pub first: usize,
    pub width: usize,
}

/// Reads a table's header.
pub fn header(t: &[f64]) -> Header {
    Header {
        period: t[0] as i64,
        fingerprint: t[1],
        steady: t[2] as usize,
        first: t[3] as usize,
        width: t[4] as usize,
    }
}

/// The rows to use for period `m`: the first-period rows for m = 0 when there are any.
pub fn rows(t: &[f64], m: i128) -> (&[f64], usize) {
    let h = header(t);
    let steady = &t[HEADER..HEADER + h.steady * h.width];
    if m == 0 && h.first > 0 {
        let at = HEADER + h.steady * h.width;
        (&t[at..at + h.first * h.width], h.first)
    } else {
        (steady, h.steady)
    }
}

fn finish(period: i64, width: usize, steady: Vec<f64>, first: Option<Vec<f64>>) -> Vec<f64> {
    let mut t = vec![
        period as f64,
        0.0,
        (steady.len() / width) as f64,
        first.as_ref().map_or(0, |f| f.len() / width) as f64,
        width as f64,
    ];
    t.extend(steady);
    t.extend(first.unwrap_or_default());
    // FNV-1a over the bits of everything but the fingerprint, kept below 2⁵².
    let h = t
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != 1)
        .flat_map(|(_, x)| x.to_bits().to_le_bytes())
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    t[1] = (h & ((1 << 52) - 1)) as f64 + 1.0;
    t
}

fn time_cols(t: Time) -> [f64; 2] {
    [t.numer() as f64, t.denom() as f64]
}

/// The step table of a pattern of numbers: on each span of the period, the value of the
/// covering event that started last (the first of a stack when several start together),
/// 0 where no event covers it. Events longer than the rest of the period carry over
/// into the next.
pub fn steps(table: &EventTable<f64>) -> Vec<f64> {
    let period = table.period;
    let steady = step_rows(period, &table.events, &table.events);
    let first = table
        .first_period
        .as_ref()
        .map(|f| step_rows(period, f, &table.events));
    finish(period, STEP_ROW, steady, first)
}

/// Segments of one period of `events`, with the tails of `before` (the period before)
/// reaching into it.
fn step_rows(period: i64, events: &[TableEvent<f64>], before: &[TableEvent<f64>]) -> Vec<f64> {
    let p = Time::int(period);
    // Every event as (begin, end, value, onset-in-this-period), in table order; tails of
    // the period before are shifted back by a period.
    let mut spans: Vec<(Time, Time, f64, bool)> = Vec::new();
    for e in before {
        let mut k = 1;
        while e.end > p * Time::int(k) {
            let shift = p * Time::int(k);
            spans.push((e.begin - shift, e.end - shift, e.value, false));
            k += 1;
            if k > 4 {
                break;
            }
        }
    }
    for e in events {
        spans.push((e.begin, e.end, e.value, true));
    }
    let mut cuts: Vec<Time> = vec![Time::int(0)];
    for &(b, e, _, _) in &spans {
        for t in [b, e] {
            if t > Time::int(0) && t < p {
                cuts.push(t);
            }
        }
    }
    cuts.sort();
    cuts.dedup();
    let mut rows: Vec<f64> = Vec::new();
    let mut last: Option<(f64, bool)> = None;
    for &start in &cuts {
        // Covering events: begin ≤ start < end of the event.
        let mut best: Option<(Time, f64)> = None;
        for &(b, e, v, _) in &spans {
            if b <= start && start < e && best.is_none_or(|(bb, _)| b > bb) {
                best = Some((b, v));
            }
        }
        let value = best.map_or(0.0, |(_, v)| v);
        let onset = spans.iter().any(|&(b, _, _, on)| on && b == start);
        if !onset && last.is_some_and(|(v, _)| v.to_bits() == value.to_bits()) {
            continue;
        }
        rows.extend(time_cols(start));
        rows.push(value);
        rows.push(if onset { 1.0 } else { 0.0 });
        last = Some((value, onset));
    }
    rows
}

/// One row of a trigger table, built by the caller from an event's controls.
pub type TriggerRow = [f64; TRIGGER_ROW - 4];

/// The trigger table of a pattern of voice events.
pub fn triggers(table: &EventTable<TriggerRow>) -> Vec<f64> {
    let rows = |events: &[TableEvent<TriggerRow>]| {
        let mut r = Vec::with_capacity(events.len() * TRIGGER_ROW);
        for e in events {
            r.extend(time_cols(e.begin));
            r.extend(time_cols(e.end - e.begin));
            r.extend(e.value);
        }
        r
    };
    let steady = rows(&table.events);
    let first = table.first_period.as_deref().map(rows);
    finish(table.period, TRIGGER_ROW, steady, first)
}

/// A one-line summary of a step table for `dump --ir`.
pub fn describe_pattern(t: &[f64]) -> String {
    let h = header(t);
    let mut s = format!("{} cycle(s), {} step(s)", h.period, h.steady);
    if h.first > 0 {
        s.push_str(&format!(" ({} in the first period)", h.first));
    }
    let (rows, n) = rows(t, 1);
    let shown: Vec<String> = (0..n.min(8))
        .map(|i| {
            let r = &rows[i * STEP_ROW..];
            format!(
                "{}{}/{}={}",
                if r[3] != 0.0 { "^" } else { "" },
                r[0],
                r[1],
                crate::fmt_num(r[2])
            )
        })
        .collect();
    s.push_str(": ");
    s.push_str(&shown.join(" "));
    if n > 8 {
        s.push_str(" …");
    }
    s
}

/// A one-line summary of a trigger table for `dump --ir`.
pub fn describe_sampler(t: &[f64]) -> String {
    let h = header(t);
    let (rows, n) = rows(t, 1);
    let shown: Vec<String> = (0..n.min(8))
        .map(|i| {
            // Not the sample ids: they depend on the library and the order sounds were
            // first named, and this text is snapshot-tested.
            let r = &rows[i * TRIGGER_ROW..];
            format!("{}/{}", r[0], r[1])
        })
        .collect();
    format!(
        "{} cycle(s), {} event(s): {}{}",
        h.period,
        h.steady,
        shown.join(" "),
        if n > 8 { " …" } else { "" }
    )
}
