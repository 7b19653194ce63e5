//! Patterns in exact rational time: TidalCycles mini-notation parsed to a spanned AST,
//! and a pattern core (a pattern is a query from a span of cycles to events) with the
//! functions live coders use. Knows nothing of audio, Cranelift or the kanon language.
