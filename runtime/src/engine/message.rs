//! What travels between the two sides of the engine: one enum each way over a lock-free
//! queue. The control side builds every message (allocating as it likes); the audio side
//! only moves them.

use super::slot::Slot;
use super::tap::Tap;

/// Control side → audio side, applied at the start of the next block, in order.
pub(crate) enum Message<P> {
    /// A new program to swap to (with its state and migration plan).
    Program(Box<Slot<P>>),
    /// A live parameter value: slot `slot` of the parameter block becomes `value`.
    Param { slot: u32, value: f64 },
    /// A program's default for a parameter nobody set from outside (not counted as a
    /// parameter change).
    Default { slot: u32, value: f64 },
    /// Fade the output to silence (true) or back (false); the programs run on.
    Hush(bool),
    /// Re-anchor the cycle clock (Ableton Link): of the running programs now, and of every
    /// program installed after.
    Clock(kanon_compiler::ClockAnchor),
    /// Start feeding a tap.
    AddTap(Box<Tap>),
    /// Stop feeding the tap with this id and hand it back.
    RemoveTap(u64),
}

/// Audio side → control side: what the audio side is done with, to be freed there.
pub(crate) enum Returned<P> {
    /// A program replaced by a newer one (or one whose crossfade ended).
    Program(Box<Slot<P>>),
    /// A tap removed (or refused because every place was taken).
    Tap(Box<Tap>),
}
