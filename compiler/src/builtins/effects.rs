//! Effects and analysis with Phonon's names and parameter order.

use super::Builtin;

pub(super) static BUILTINS: &[Builtin] = &[];
