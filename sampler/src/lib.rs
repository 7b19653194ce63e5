//! Sample data for `s "bd*2 [sn cp]"`: a library of sound folders searched in order,
//! decoding and resampling on load (off the audio thread), a deterministic built-in kit,
//! and the allocation-free voice renderer the audio thread runs.
//!
//! Control side: [`Library`] (search path, ids, background loading, the kit).
//! Shared: [`SampleTable`] (`#[repr(C)]`, read lock-free by the audio thread).
//! Audio side: [`voice`] (a voice pool living in a caller-provided `&mut [f64]`).

#![warn(missing_docs)]

pub mod decode;
pub mod kit;
mod library;
mod loader;
pub mod math;
mod nearest;
pub mod resample;
pub mod scan;
pub mod store;

pub use decode::{DecodeError, Limits};
pub use library::{Library, LibraryConfig, Origin, Sound, SoundInfo, Warning};
pub use loader::{LoadEvent, Progress};
pub use scan::{SearchDir, SearchKind};
pub use store::{SampleId, SampleStore, SampleTable};
pub mod voice;

pub use voice::{pool_len, Trigger};
