//! Patterns in exact rational time: TidalCycles mini-notation parsed to a spanned AST,
//! and a pattern core (a pattern is a query from a span of cycles to events) with the
//! functions live coders use. Knows nothing of audio, Cranelift or the kanon language.

pub mod core;
pub mod docs;
pub mod euclid;
pub mod event;
pub mod expr;
mod fault;
pub mod functions;
pub mod mini;
pub mod notes;
pub mod ops;
pub mod period;
pub mod random;
pub mod span;
pub mod text;
pub mod time;
pub mod value;

pub use crate::core::{stack, Pattern};
pub use crate::event::Event;
pub use crate::fault::QueryError;
pub use crate::span::Span;
pub use crate::time::Time;
pub use crate::value::{ControlMap, Value};
