//! A small Tidal-like expression syntax for examples, tests and the command line:
//! `every 2 (fast 2) $ s "bd sn" # gain 0.8`, `0.25 ~> "bd sn"`, `stack ["bd", "hh*2"]`.
//!
//! Function application binds tightest; then Tidal's operators (`#`, `|+|`, `|+`, `+|`,
//! `<~`, `~>`, `.` for composition, all left-associative as Haskell's default), then `*`
//! and `/`, then `+` and `-`, then `$` (right-associative). Sections `(# speed 2)` and
//! `(+ 12)` are functions. This is not the kanon language: the compiler applies functions
//! through [`crate::functions`] directly.

use std::fmt;
use std::sync::Arc;

use crate::core::Pattern;
use crate::functions::{self, Arg, Param};
use crate::mini;
use crate::ops::Func;
use crate::value::Value;

/// An expression that cannot be read or applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// Byte offset in the expression.
    pub offset: usize,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.offset, self.message)
    }
}

impl std::error::Error for ExprError {}

/// Evaluates an expression to a pattern.
pub fn eval(src: &str) -> Result<Pattern<Value>, ExprError> {
    let toks = lex(src)?;
    let mut p = Parser {
        toks,
        i: 0,
        src_len: src.len(),
        depth: 0,
    };
    let v = p.expr(0)?;
    if p.i < p.toks.len() {
        return Err(p.err("expected an operator or the end"));
    }
    match v {
        Val::Pat(x) => Ok(x),
        _ => Err(ExprError {
            offset: 0,
            message: "the expression is a function, not a pattern: give it its last argument"
                .into(),
        }),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Str(String),
    Num(f64),
    Name(String),
    Op(String),
    Open,
    Close,
    LBracket,
    RBracket,
    Comma,
}

const OPS: &[&str] = &[
    "|+|", "|-|", "|*|", "|/|", "|%|", "|>|", "|<|", "|+", "|-", "|*", "|/", "|%", "|>", "|<",
    "+|", "-|", "*|", "/|", "%|", ">|", "<|", "<~", "~>", "#", "+", "-", "*", "/", "$", ".",
];

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let at = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let prev_is_value = matches!(
            out.last(),
            Some((
                Tok::Str(_) | Tok::Num(_) | Tok::Name(_) | Tok::Close | Tok::RBracket,
                _
            ))
        );
        if c == b'"' {
            let end = src[i + 1..].find('"').ok_or(ExprError {
                offset: i,
                message: "a string without its closing `\"`".into(),
            })?;
            out.push((Tok::Str(src[i + 1..i + 1 + end].to_string()), at + 1));
            i += end + 2;
        } else if c.is_ascii_digit()
            || (c == b'-' && !prev_is_value && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let mut j = i + 1;
            while j < b.len()
                && (b[j].is_ascii_digit()
                    || (b[j] == b'.' && b.get(j + 1).is_some_and(u8::is_ascii_digit)))
            {
                j += 1;
            }
            let v: f64 = src[i..j].parse().map_err(|_| ExprError {
                offset: i,
                message: "not a number".into(),
            })?;
            out.push((Tok::Num(v), at));
            i = j;
        } else if c.is_ascii_alphabetic() {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'\'') {
                j += 1;
            }
            out.push((Tok::Name(src[i..j].to_string()), at));
            i = j;
        } else if c == b'(' {
            out.push((Tok::Open, at));
            i += 1;
        } else if c == b')' {
            out.push((Tok::Close, at));
            i += 1;
        } else if c == b'[' {
            out.push((Tok::LBracket, at));
            i += 1;
        } else if c == b']' {
            out.push((Tok::RBracket, at));
            i += 1;
        } else if c == b',' {
            out.push((Tok::Comma, at));
            i += 1;
        } else if let Some(op) = OPS.iter().find(|o| src[i..].starts_with(**o)) {
            out.push((Tok::Op(op.to_string()), at));
            i += op.len();
        } else {
            let ch = src[i..].chars().next().unwrap_or('?');
            return Err(ExprError {
                offset: i,
                message: format!("unexpected `{ch}`"),
            });
        }
    }
    Ok(out)
}

#[derive(Clone)]
enum Val {
    Pat(Pattern<Value>),
    /// A function with some of its arguments.
    Partial(String, Vec<Arg>),
    /// A function of one pattern (a section or a composition).
    Func(Func),
    List(Vec<Pattern<Value>>),
}

fn prec(op: &str) -> (u8, bool) {
    match op {
        "$" => (0, true),
        "+" | "-" => (6, false),
        "*" | "/" => (7, false),
        "." => (9, true),
        _ => (9, false),
    }
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
    src_len: usize,
    depth: u32,
}

impl Parser {
    fn at(&self) -> usize {
        self.toks.get(self.i).map(|t| t.1).unwrap_or(self.src_len)
    }

    fn err(&self, m: &str) -> ExprError {
        ExprError {
            offset: self.at(),
            message: m.to_string(),
        }
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i).map(|t| &t.0)
    }

    fn expr(&mut self, min: u8) -> Result<Val, ExprError> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(self.err("expression nested too deep"));
        }
        let mut lhs = self.app()?;
        while let Some(Tok::Op(op)) = self.peek().cloned() {
            // `(x op)` is a left section: leave the operator to `atom`.
            if matches!(self.toks.get(self.i + 1), Some((Tok::Close, _))) {
                break;
            }
            let (p, right) = prec(&op);
            if p < min {
                break;
            }
            let at = self.at();
            self.i += 1;
            let rhs = self.expr(if right { p } else { p + 1 })?;
            lhs = self.binop(&op, lhs, rhs, at)?;
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn binop(&self, op: &str, a: Val, b: Val, at: usize) -> Result<Val, ExprError> {
        let e = |m: &str| ExprError {
            offset: at,
            message: m.to_string(),
        };
        match op {
            "$" => {
                let f = to_func(a).map_err(|m| e(&m))?;
                let x = to_pat(b).map_err(|m| e(&m))?;
                Ok(Val::Pat(f(&x)))
            }
            "." => {
                let f = to_func(a).map_err(|m| e(&m))?;
                let g = to_func(b).map_err(|m| e(&m))?;
                Ok(Val::Func(Arc::new(move |p: &Pattern<Value>| f(&g(p)))))
            }
            _ => {
                let x = to_pat(a).map_err(|m| e(&m))?;
                let y = to_pat(b).map_err(|m| e(&m))?;
                functions::operator(op, &x, &y)
                    .map(Val::Pat)
                    .ok_or_else(|| e(&format!("unknown operator `{op}`")))
            }
        }
    }

    /// A function application: an atom followed by argument atoms.
    fn app(&mut self) -> Result<Val, ExprError> {
        let at = self.at();
        let head = self.atom()?;
        let mut args = Vec::new();
        while matches!(
            self.peek(),
            Some(Tok::Str(_) | Tok::Num(_) | Tok::Name(_) | Tok::Open | Tok::LBracket)
        ) {
            args.push((self.at(), self.atom()?));
        }
        let mut v = head;
        for (a_at, a) in args {
            v = apply_one(v, a).map_err(|m| ExprError {
                offset: a_at,
                message: m,
            })?;
        }
        // A name with all of its (zero) arguments is a pattern.
        if let Val::Partial(name, got) = &v {
            if functions::arity(name) == Some(got.len()) {
                return functions::apply(name, got)
                    .map(Val::Pat)
                    .map_err(|m| ExprError {
                        offset: at,
                        message: m,
                    });
            }
        }
        Ok(v)
    }

    fn atom(&mut self) -> Result<Val, ExprError> {
        let at = self.at();
        let Some(t) = self.peek().cloned() else {
            return Err(self.err("expected a value"));
        };
        self.i += 1;
        match t {
            Tok::Str(s) => mini::pattern(&s).map(Val::Pat).map_err(|e| ExprError {
                offset: at + e.offset,
                message: e.message,
            }),
            Tok::Num(x) => Ok(Val::Pat(Pattern::pure(Value::Num(x)))),
            Tok::Name(n) => match functions::arity(&n) {
                Some(0) => functions::apply(&n, &[])
                    .map(Val::Pat)
                    .map_err(|m| ExprError {
                        offset: at,
                        message: m,
                    }),
                Some(_) => Ok(Val::Partial(n, Vec::new())),
                None => Err(ExprError {
                    offset: at,
                    message: format!("there is no pattern function called `{n}`"),
                }),
            },
            Tok::LBracket => {
                let mut items = Vec::new();
                if self.peek() != Some(&Tok::RBracket) {
                    loop {
                        let v = self.expr(0)?;
                        items.push(to_pat(v).map_err(|m| self.err(&m))?);
                        if self.peek() == Some(&Tok::Comma) {
                            self.i += 1;
                        } else {
                            break;
                        }
                    }
                }
                if self.peek() != Some(&Tok::RBracket) {
                    return Err(self.err("expected `,` or `]`"));
                }
                self.i += 1;
                Ok(Val::List(items))
            }
            Tok::Open => {
                // A section: `(# speed 2)`, `(+ 12)`.
                let v = if let Some(Tok::Op(op)) = self.peek().cloned() {
                    let op_at = self.at();
                    self.i += 1;
                    let rhs = self.expr(0)?;
                    let y = to_pat(rhs).map_err(|m| ExprError {
                        offset: op_at,
                        message: m,
                    })?;
                    if functions::operator(&op, &y, &y).is_none() {
                        return Err(ExprError {
                            offset: op_at,
                            message: format!("`({op} …)` is not a section"),
                        });
                    }
                    Val::Func(Arc::new(move |x: &Pattern<Value>| {
                        functions::operator(&op, x, &y).unwrap_or_else(|| x.clone())
                    }))
                } else {
                    let v = self.expr(0)?;
                    match (self.peek().cloned(), self.toks.get(self.i + 1)) {
                        (Some(Tok::Op(op)), Some((Tok::Close, _))) => {
                            // A left section: `(0.25 <~)`.
                            let op_at = self.at();
                            self.i += 1;
                            let x = to_pat(v).map_err(|m| ExprError {
                                offset: op_at,
                                message: m,
                            })?;
                            if functions::operator(&op, &x, &x).is_none() {
                                return Err(ExprError {
                                    offset: op_at,
                                    message: format!("`(… {op})` is not a section"),
                                });
                            }
                            Val::Func(Arc::new(move |y: &Pattern<Value>| {
                                functions::operator(&op, &x, y).unwrap_or_else(|| y.clone())
                            }))
                        }
                        _ => v,
                    }
                };
                if self.peek() != Some(&Tok::Close) {
                    return Err(self.err("expected `)`"));
                }
                self.i += 1;
                Ok(v)
            }
            _ => Err(ExprError {
                offset: at,
                message: "expected a value".into(),
            }),
        }
    }
}

fn to_pat(v: Val) -> Result<Pattern<Value>, String> {
    match v {
        Val::Pat(p) => Ok(p),
        Val::Partial(n, a) => Err(format!("`{n}` needs more arguments (has {})", a.len())),
        Val::Func(_) => Err("expected a pattern, found a function".into()),
        Val::List(_) => Err("expected a pattern, found a list".into()),
    }
}

fn to_func(v: Val) -> Result<Func, String> {
    match v {
        Val::Func(f) => Ok(f),
        Val::Partial(name, args) => {
            if functions::arity(&name) != Some(args.len() + 1) {
                return Err(format!(
                    "`{name}` with {} arguments is not a function of one pattern",
                    args.len()
                ));
            }
            Ok(Arc::new(move |p: &Pattern<Value>| {
                let mut a = args.clone();
                a.push(Arg::Pattern(p.clone()));
                functions::apply(&name, &a).unwrap_or_else(|_| Pattern::silence())
            }))
        }
        Val::Pat(_) => Err("expected a function, found a pattern".into()),
        Val::List(_) => Err("expected a function, found a list".into()),
    }
}

fn apply_one(f: Val, a: Val) -> Result<Val, String> {
    match f {
        Val::Partial(name, mut args) => {
            let params = functions::params(&name).unwrap_or_default();
            let Some(kind) = params.get(args.len()) else {
                return Err(format!("`{name}` takes {} arguments", params.len()));
            };
            let arg = match kind {
                Param::Function => Arg::Function(to_func(a)?),
                Param::List => match a {
                    Val::List(l) => Arg::List(l),
                    _ => return Err(format!("`{name}` takes a list `[a, b]` here")),
                },
                _ => Arg::Pattern(to_pat(a)?),
            };
            args.push(arg);
            if args.len() == params.len() {
                return functions::apply(&name, &args).map(Val::Pat);
            }
            Ok(Val::Partial(name, args))
        }
        Val::Func(func) => Ok(Val::Pat(func(&to_pat(a)?))),
        Val::Pat(_) => Err("a pattern is not a function: did you mean `$` or an operator?".into()),
        Val::List(_) => Err("a list is not a function".into()),
    }
}
