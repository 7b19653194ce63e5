//! Query faults: overflow and runaway work recorded while a query runs.
//!
//! Pattern queries are pure closures that return plain event lists, as Tidal's do. Exact
//! time arithmetic can still overflow on absurd inputs (`bd*99999999999/7`), and a query
//! can ask for more events than any machine holds (`bd*1000000000`). Threading `Result`
//! through every closure would bury the few lines each combinator is; instead the first
//! fault is recorded here (per thread), the arithmetic returns a harmless value, leaves
//! stop producing events, and [`crate::Pattern::query`] turns the record into an error.

use std::cell::Cell;
use std::fmt;

/// Why a query could not give an exact answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// Exact time arithmetic left the range of 64-bit numerators and denominators.
    Overflow,
    /// A division by zero in time arithmetic.
    DivisionByZero,
    /// The query produced more intermediate events than its budget allows.
    TooManyEvents {
        /// The budget that was exceeded.
        limit: usize,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Overflow => write!(
                f,
                "time arithmetic overflowed (a factor or offset is too large or too fine)"
            ),
            QueryError::DivisionByZero => write!(f, "time arithmetic divided by zero"),
            QueryError::TooManyEvents { limit } => {
                write!(f, "the query would produce more than {limit} events")
            }
        }
    }
}

impl std::error::Error for QueryError {}

/// The default number of leaf events one query may produce.
pub const DEFAULT_BUDGET: usize = 1 << 20;

thread_local! {
    static FAULT: Cell<Option<QueryError>> = const { Cell::new(None) };
    static SPENT: Cell<usize> = const { Cell::new(0) };
    static LIMIT: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// Records `e` unless an earlier fault is already recorded.
pub(crate) fn raise(e: QueryError) {
    FAULT.with(|f| {
        if f.get().is_none() {
            f.set(Some(e));
        }
    });
}

/// True once a fault is recorded: loops stop early instead of doing useless work.
pub(crate) fn faulted() -> bool {
    FAULT.with(|f| f.get().is_some())
}

/// Spends `n` units of the query budget; false (and a recorded fault) when it is gone.
pub(crate) fn spend(n: usize) -> bool {
    let limit = LIMIT.with(|l| l.get());
    let ok = SPENT.with(|s| {
        let v = s.get().saturating_add(n);
        s.set(v);
        v <= limit
    });
    if !ok {
        raise(QueryError::TooManyEvents { limit });
    }
    ok && !faulted()
}

/// Runs `f` as one top-level query with `budget` leaf events, returning the first fault.
pub(crate) fn guarded<R>(budget: usize, f: impl FnOnce() -> R) -> Result<R, QueryError> {
    // Nested top-level queries (a pattern built while querying another) keep the outer
    // record: save and restore it.
    let saved = (
        FAULT.with(|x| x.take()),
        SPENT.with(|x| x.get()),
        LIMIT.with(|x| x.get()),
    );
    SPENT.with(|s| s.set(0));
    LIMIT.with(|l| l.set(budget));
    let out = f();
    let fault = FAULT.with(|x| x.take());
    FAULT.with(|x| x.set(saved.0));
    SPENT.with(|x| x.set(saved.1));
    LIMIT.with(|x| x.set(saved.2));
    match fault {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Runs `f` and reports whether it recorded a fault (for construction-time checks).
pub(crate) fn checked<R>(f: impl FnOnce() -> R) -> Result<R, QueryError> {
    guarded(DEFAULT_BUDGET, f)
}
