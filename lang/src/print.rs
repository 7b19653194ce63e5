//! `kanonc dump --ast`: the parse, fully parenthesised, one definition per line.

use crate::ast::*;
use std::fmt::Write;

/// Prints a program with every application and operator in parentheses, so a user
/// can check how `#`, precedence and juxtaposition were read.
pub fn dump_ast(p: &Program) -> String {
    let mut out = String::new();
    for item in &p.items {
        match item {
            Item::Tempo { value, unit, .. } => {
                let kw = match unit {
                    TempoUnit::Cps => "tempo",
                    TempoUnit::Bpm => "bpm",
                };
                let _ = writeln!(out, "{kw}: {}", expr(value));
            }
            Item::Bus {
                name, body, init, ..
            } => {
                let _ = write!(out, "~{}: {}", name.name, expr(body));
                if let Some(i) = init {
                    let _ = write!(out, " init {}", expr(i));
                }
                out.push('\n');
            }
            Item::Out { target, body, .. } => {
                let name = match target {
                    OutTarget::Main => "out".to_string(),
                    OutTarget::Channel(n) => format!("o{n}"),
                };
                let _ = writeln!(out, "{name}: {}", expr(body));
            }
            Item::Fn {
                name, params, body, ..
            } => {
                let params: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                let _ = writeln!(
                    out,
                    "fn {}{}{}: {}",
                    name.name,
                    if params.is_empty() { "" } else { " " },
                    params.join(" "),
                    expr(body)
                );
            }
        }
    }
    out
}

fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Num(v) => number(*v),
        ExprKind::Str(t) => format!("\"{t}\""),
        ExprKind::Keyword { name, value } => format!(":{} {}", name.name, expr(value)),
        ExprKind::Dollar { lhs, rhs } => format!("({} $ {})", expr(lhs), expr(rhs)),
        ExprKind::Bus(b) => format!("~{b}"),
        ExprKind::Name(n) => n.clone(),
        ExprKind::App { func, args, .. } => {
            let mut s = format!("({}", func.name);
            for a in args {
                s.push(' ');
                s.push_str(&expr(a));
            }
            s.push(')');
            s
        }
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", expr(lhs), op.symbol(), expr(rhs))
        }
        ExprKind::Neg(a) => format!("(-{})", expr(a)),
        ExprKind::Prev(a) => format!("{}'", expr(a)),
        ExprKind::List(items) => {
            let items: Vec<String> = items.iter().map(expr).collect();
            format!("[{}]", items.join(", "))
        }
        ExprKind::Sum {
            var,
            from,
            to,
            body,
        } => format!(
            "(sum {} {}..{}: {})",
            var.name,
            expr(from),
            expr(to),
            expr(body)
        ),
    }
}

/// Numbers print as the shortest text that reads back to the same value.
pub(crate) fn number(v: f64) -> String {
    format!("{v:?}").trim_end_matches(".0").to_string()
}
