//! Call-site numbering: the `#n` of a key. Within one definition (or one inlined
//! function body), the stateful sites calling the same name are numbered 0, 1, 2, … left
//! to right in the text, so editing one part of a line leaves the numbers of the other
//! sites alone. Each AST node that can own state gets its own number: two sites that
//! start at the same place (`f(x)''` is two `'` sites over one span) still get two, so a
//! program can never have two pieces of state under one key.

use kanon_lang::ast::{Expr, ExprKind};
use rustc_hash::FxHashMap;
use std::rc::Rc;

/// The number of every stateful site of one body, by the site's node. Shared, because
/// every iteration of a `sum` numbers the same body.
#[derive(Clone, Debug, Default)]
pub(super) struct Numbering(Rc<FxHashMap<*const Expr, usize>>);

impl Numbering {
    /// The number of the site `e` (0 if `e` is not a site of this body, which only an
    /// internal caller could ask).
    pub(super) fn of(&self, e: &Expr) -> usize {
        self.0.get(&(e as *const Expr)).copied().unwrap_or(0)
    }
}

/// The (name, position) of an expression that may own state, if it is one.
pub(super) fn site(e: &Expr) -> Option<(&str, usize)> {
    match &e.kind {
        ExprKind::App { func, args, .. } if super::expr::is_phonon_delay(&func.name, args) => {
            Some(("fbdelay", func.span.start))
        }
        ExprKind::App { func, .. } => Some((&func.name, func.span.start)),
        ExprKind::Name(n) => Some((n, e.span.start)),
        // Position of the `'`.
        ExprKind::Prev(_) => Some(("mem", e.span.end.saturating_sub(1))),
        ExprKind::Sum { .. } => Some(("sum", e.span.start)),
        // Where a pattern may be played as a signal (see `play`).
        ExprKind::Str(_) | ExprKind::Dollar { .. } | ExprKind::Binary { .. } => {
            Some(("pattern", e.span.start))
        }
        _ => None,
    }
}

/// Numbers the call sites of one body: per name, left to right in the text; sites at the
/// same position in the order they are nested, outermost first. A `sum` body is numbered
/// on its own (each iteration has its own path).
pub(super) fn number(body: &Expr) -> Numbering {
    // (name, position, visit order, node)
    let mut sites: Vec<(&str, usize, usize, *const Expr)> = Vec::new();
    fn visit<'e>(e: &'e Expr, sites: &mut Vec<(&'e str, usize, usize, *const Expr)>) {
        if let Some((n, pos)) = site(e) {
            let order = sites.len();
            sites.push((n, pos, order, e));
        }
        match &e.kind {
            ExprKind::Sum { from, to, .. } => {
                visit(from, sites);
                visit(to, sites);
            }
            _ => children(e, |c| visit(c, sites)),
        }
    }
    visit(body, &mut sites);
    sites.sort_by_key(|&(name, pos, order, _)| (name, pos, order));
    let mut out = FxHashMap::with_capacity_and_hasher(sites.len(), Default::default());
    let mut last: Option<&str> = None;
    let mut k = 0;
    for &(name, _, _, node) in &sites {
        if last != Some(name) {
            k = 0;
            last = Some(name);
        }
        out.insert(node, k);
        k += 1;
    }
    Numbering(Rc::new(out))
}

/// Calls `f` on each direct child of `e`.
pub(super) fn children<'e>(e: &'e Expr, mut f: impl FnMut(&'e Expr)) {
    match &e.kind {
        ExprKind::Num(_) | ExprKind::Str(_) | ExprKind::Bus(_) | ExprKind::Name(_) => {}
        ExprKind::App { args, .. } => args.iter().for_each(f),
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Dollar { lhs, rhs } => {
            f(lhs);
            f(rhs);
        }
        ExprKind::Neg(a) | ExprKind::Prev(a) => f(a),
        ExprKind::Keyword { value, .. } => f(value),
        ExprKind::List(items) => items.iter().for_each(f),
        ExprKind::Sum { from, to, body, .. } => {
            f(from);
            f(to);
            f(body);
        }
    }
}
