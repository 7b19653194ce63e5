//! The kanon runtime: runs compiled programs. Offline rendering to WAV here; the live
//! engine (swap, migration, audio output, file watching) builds on the same processor.

pub mod denormal;
pub mod render;
pub mod wav;

pub use render::render;
