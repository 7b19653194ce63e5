//! The kanon language front end: `.kn` text to a spanned AST, and the diagnostics
//! every later stage reports through.

pub mod ast;
pub mod diag;
mod parse;
mod print;
pub mod span;

pub use diag::{Diagnostic, Source};
pub use parse::parse;
pub use print::dump_ast;
pub use span::Span;
