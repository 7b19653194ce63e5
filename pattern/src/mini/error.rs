//! Mini-notation errors: where in the string, and what was expected, in words.

use std::fmt;

/// A mini-notation string that cannot be read or has no meaning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MiniError {
    /// Byte offset of the offending character (the string's length for its end).
    pub offset: usize,
    /// What went wrong, e.g. "expected a step, `]` or `,`, found `)`".
    pub message: String,
}

impl MiniError {
    /// An error at `offset`.
    pub fn new(offset: usize, message: impl Into<String>) -> MiniError {
        MiniError {
            offset,
            message: message.into(),
        }
    }

    /// The error with the string quoted and a caret under the offending character.
    pub fn render(&self, src: &str) -> String {
        let col = src
            .get(..self.offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        format!("{}\n  \"{}\"\n   {}^", self.message, src, " ".repeat(col))
    }
}

impl fmt::Display for MiniError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for MiniError {}
