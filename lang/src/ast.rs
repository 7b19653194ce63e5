//! The spanned syntax tree: what the text says, before any meaning is given to names.
//!
//! Pipes (`a # f x`) are already resolved here: the piped value is the first argument
//! of the leftmost application on the right, and the application remembers the span of
//! its `#` so diagnostics can point at it.

use crate::span::Span;

/// A whole `.kn` file.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    /// Definitions in source order.
    pub items: Vec<Item>,
}

/// One top-level definition (a line plus its indented continuation lines).
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// `tempo: expr` or `cps: expr` (cycles per second), or `bpm: expr` (beats per
    /// minute, four beats to the cycle).
    Tempo {
        value: Expr,
        unit: TempoUnit,
        span: Span,
    },
    /// `~name: expr [init expr]`.
    Bus {
        name: Ident,
        body: Expr,
        init: Option<Expr>,
        span: Span,
    },
    /// `out: expr` (main output) or `oN: expr` (channel N, 1-based).
    Out {
        target: OutTarget,
        body: Expr,
        span: Span,
    },
    /// `fn name p1 p2: expr`, inlined at each call site.
    Fn {
        name: Ident,
        params: Vec<Ident>,
        body: Expr,
        span: Span,
    },
}

impl Item {
    /// The span of the whole definition.
    pub fn span(&self) -> Span {
        match self {
            Item::Tempo { span, .. }
            | Item::Bus { span, .. }
            | Item::Out { span, .. }
            | Item::Fn { span, .. } => *span,
        }
    }
}

/// How a tempo is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TempoUnit {
    /// Cycles per second (`tempo:`, `cps:`).
    Cps,
    /// Beats per minute (`bpm:`), four beats to the cycle as in Tidal.
    Bpm,
}

/// Where an `out`/`oN` definition sends its signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutTarget {
    /// `out:`, mixed into every channel (or channel by channel if multichannel).
    Main,
    /// `oN:`, channel N (1-based as written).
    Channel(u32),
}

/// A name with where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name as written (without `~` for buses).
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// Binary operators, loosest first within each group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Pow => "^",
        }
    }
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number literal.
    Num(f64),
    /// A string literal: a mini-notation pattern, the text between the quotes (the
    /// expression's span includes the quotes).
    Str(String),
    /// `~name`: a bus reference.
    Bus(String),
    /// A bare name: constant, function parameter, `sum` index, or zero-argument call.
    Name(String),
    /// `f a b` or `f(a, b)`; `pipe` is the span of the `#` that supplied the first argument.
    App {
        func: Ident,
        args: Vec<Expr>,
        pipe: Option<Span>,
    },
    /// `a op b`.
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `-a`.
    Neg(Box<Expr>),
    /// `a'`: the value of `a` one sample ago.
    Prev(Box<Expr>),
    /// `[a, b, …]`: a multichannel value.
    List(Vec<Expr>),
    /// `:name value`: a keyword argument (only as an argument of an application).
    Keyword { name: Ident, value: Box<Expr> },
    /// `a $ b`: pattern function application (`"bd sn" $ fast 2`, `fast 2 $ "bd sn"`)
    /// or composition of two functions.
    Dollar { lhs: Box<Expr>, rhs: Box<Expr> },
    /// `sum i a..b: body`: compile-time repetition, `i` from `a` to `b - 1`.
    Sum {
        var: Ident,
        from: Box<Expr>,
        to: Box<Expr>,
        body: Box<Expr>,
    },
}
