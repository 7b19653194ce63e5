//! Runtime support: the functions generated code calls for what is not worth inlining
//! (the pattern clock, a pattern's cursor when a step is reached, a sampler's chunk), and
//! that the interpreter calls the same way, so both compute the same bits. Every one is
//! allocation-free, lock-free and cannot panic on any state it is given.
//!
//! Each exported function takes raw pointers into the state block and the program's
//! tables, with their lengths fixed by the layouts in [`clock`], [`cursor`], [`sampler`]
//! and `crate::tables`.

pub mod clock;
pub mod cursor;
pub mod sampler;

use kanon_samples::SampleTable;
use std::slice;

/// `clock::sync` for generated code.
///
/// # Safety
/// `clock` points at a clock buffer of [`clock::LEN`] f64s.
pub unsafe extern "C" fn kanon_clock(clock: *mut f64, frame: u64, cps_n: i64, cps_d: i64, sr: f64) {
    clock::sync(
        slice::from_raw_parts_mut(clock, clock::LEN),
        frame,
        cps_n,
        cps_d,
        sr,
    );
}

/// `cursor::sync` for generated code.
///
/// # Safety
/// `cursor` points at a cursor buffer, `table` at a step table of `table_len` f64s and
/// `clock` at a clock buffer.
pub unsafe extern "C" fn kanon_cursor_sync(
    cursor: *mut f64,
    table: *const f64,
    table_len: u64,
    clock: *const f64,
) {
    cursor::sync(
        slice::from_raw_parts_mut(cursor, cursor::LEN),
        slice::from_raw_parts(table, table_len as usize),
        slice::from_raw_parts(clock, clock::LEN),
    );
}

/// `cursor::advance` for generated code.
///
/// # Safety
/// As [`kanon_cursor_sync`].
pub unsafe extern "C" fn kanon_cursor_advance(
    cursor: *mut f64,
    table: *const f64,
    table_len: u64,
    clock: *const f64,
    frame: u64,
) {
    cursor::advance(
        slice::from_raw_parts_mut(cursor, cursor::LEN),
        slice::from_raw_parts(table, table_len as usize),
        slice::from_raw_parts(clock, clock::LEN),
        frame,
    );
}

/// `sampler::render` for generated code: `frames` frames into `left` and `right`.
///
/// # Safety
/// `pool` points at `pool_len` f64s, `cursor` at a sampler cursor, `table` at a trigger
/// table of `table_len` f64s, `clock` at a clock buffer, `samples` at a sample table or
/// is null, and `left`/`right` at `frames` f64s each.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn kanon_sampler(
    pool: *mut f64,
    pool_len: u64,
    cursor: *mut f64,
    table: *const f64,
    table_len: u64,
    clock: *const f64,
    samples: *const u8,
    frame: u64,
    frames: u64,
    left: *mut f64,
    right: *mut f64,
) {
    let samples = (samples as *const SampleTable).as_ref();
    sampler::render(
        slice::from_raw_parts_mut(pool, pool_len as usize),
        slice::from_raw_parts_mut(cursor, sampler::LEN),
        slice::from_raw_parts(table, table_len as usize),
        slice::from_raw_parts(clock, clock::LEN),
        samples,
        frame,
        slice::from_raw_parts_mut(left, frames as usize),
        slice::from_raw_parts_mut(right, frames as usize),
    );
}
