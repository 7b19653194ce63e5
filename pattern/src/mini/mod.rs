//! Mini-notation: the grammar (`parse.rs`, to a spanned [`Ast`]) and its meaning
//! (`lower.rs`, from the AST to a pattern), kept apart as Strudel keeps them.

pub mod ast;
mod error;
pub(crate) mod lower;
mod parse;

pub use ast::{Ast, Kind, Node, Step};
pub use error::MiniError;
pub use parse::parse;

use crate::core::Pattern;
use crate::value::Value;

/// Parses a mini-notation string and gives it its meaning.
pub fn pattern(src: &str) -> Result<Pattern<Value>, MiniError> {
    lower::to_pattern(&parse(src)?)
}
