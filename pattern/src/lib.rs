//! Patterns in exact rational time: TidalCycles mini-notation parsed to a spanned AST,
//! and a pattern core (a pattern is a query from a span of cycles to events) with the
//! functions live coders use. Knows nothing of audio, Cranelift or the kanon language.
//!
//! The meaning is Tidal's (see `docs/patterns.md`). The pieces, in the order a string
//! goes through them:
//!
//! - [`mini::parse`] reads a string into an [`mini::Ast`] with byte offsets (errors are a
//!   [`mini::MiniError`] with the offset and what was expected); [`mini::pattern`] also
//!   gives the AST its meaning, a [`Pattern`]`<`[`Value`]`>`.
//! - [`Pattern::query`] gives the [`Event`]s of a [`Span`] of cycles, in exact [`Time`];
//!   [`core`] holds the primitives, [`ops`] the functions, [`functions::table`] every
//!   function by name for the compiler, [`expr`] a small Tidal-like call syntax.
//! - [`period::table`] precomputes one period of events; [`text::events`] prints events
//!   for `kanonc pattern`.

#![warn(missing_docs)]

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
