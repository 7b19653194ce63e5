//! pest parse tree to AST. Nothing here gives names a meaning; that is the compiler's job.

use crate::ast::*;
use crate::diag::Diagnostic;
use crate::span::Span;
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/kanon.pest"]
struct KanonParser;

/// Parses a whole `.kn` text into an AST, or returns the first syntax error.
pub fn parse(text: &str) -> Result<Program, Diagnostic> {
    pest::set_error_detail(true);
    let mut pairs = KanonParser::parse(Rule::program, text).map_err(|e| syntax_error(e, text))?;
    let program = pairs.next().expect("grammar: program is the root");
    let mut items = Vec::new();
    for pair in program.into_inner() {
        if pair.as_rule() != Rule::EOI {
            items.push(item(pair)?);
        }
    }
    Ok(Program { items })
}

fn item(pair: Pair<Rule>) -> Result<Item, Diagnostic> {
    let span = Span::from(pair.as_span());
    let rule = pair.as_rule();
    let mut inner = pair.into_inner();
    Ok(match rule {
        Rule::tempo_def => {
            inner.next(); // the keyword
            Item::Tempo {
                value: expr(inner.next().unwrap())?,
                span,
            }
        }
        Rule::bus_def => {
            let name = bus_ident(inner.next().unwrap());
            let body = expr(inner.next().unwrap())?;
            let init = match inner.next() {
                Some(clause) => Some(expr(clause.into_inner().nth(1).unwrap())?),
                None => None,
            };
            Item::Bus {
                name,
                body,
                init,
                span,
            }
        }
        Rule::out_def => {
            let name = inner.next().unwrap();
            let target = match name.as_str() {
                "out" => OutTarget::Main,
                s => {
                    let n: u32 = s[1..].parse().unwrap_or(0);
                    if n == 0 {
                        return Err(Diagnostic::error(
                            format!("there is no channel `{s}`"),
                            name.as_span().into(),
                        )
                        .with_help("channel outputs are numbered from 1: `o1:`, `o2:`, …"));
                    }
                    OutTarget::Channel(n)
                }
            };
            Item::Out {
                target,
                body: expr(inner.next().unwrap())?,
                span,
            }
        }
        Rule::fn_def => {
            inner.next(); // `fn`
            let name = ident(inner.next().unwrap());
            let mut params = Vec::new();
            let mut body = None;
            for p in inner {
                match p.as_rule() {
                    Rule::ident => params.push(ident(p)),
                    _ => body = Some(expr(p)?),
                }
            }
            Item::Fn {
                name,
                params,
                body: body.unwrap(),
                span,
            }
        }
        r => unreachable!("grammar: unexpected statement {r:?}"),
    })
}

fn ident(pair: Pair<Rule>) -> Ident {
    Ident {
        name: pair.as_str().to_string(),
        span: pair.as_span().into(),
    }
}

fn bus_ident(pair: Pair<Rule>) -> Ident {
    Ident {
        name: pair.as_str()[1..].to_string(),
        span: pair.as_span().into(),
    }
}

fn expr(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
    match pair.as_rule() {
        Rule::sum_expr => {
            let mut inner = pair.into_inner();
            inner.next(); // `sum`
            let var = ident(inner.next().unwrap());
            let from = expr(inner.next().unwrap())?;
            let to = expr(inner.next().unwrap())?;
            let body = expr(inner.next().unwrap())?;
            Ok(Expr {
                kind: ExprKind::Sum {
                    var,
                    from: Box::new(from),
                    to: Box::new(to),
                    body: Box::new(body),
                },
                span,
            })
        }
        Rule::pipe => {
            let mut inner = pair.into_inner();
            let mut acc = expr(inner.next().unwrap())?;
            while let Some(op) = inner.next() {
                let rhs = expr(inner.next().unwrap())?;
                acc = pipe_into(acc, rhs, op.as_span().into())?;
            }
            Ok(acc)
        }
        Rule::compare | Rule::additive | Rule::multiplicative => {
            let mut inner = pair.into_inner();
            let mut acc = expr(inner.next().unwrap())?;
            while let Some(op) = inner.next() {
                let rhs = expr(inner.next().unwrap())?;
                let op = binop(op.as_str());
                let span = acc.span.to(rhs.span);
                acc = Expr {
                    kind: ExprKind::Binary {
                        op,
                        lhs: Box::new(acc),
                        rhs: Box::new(rhs),
                    },
                    span,
                };
            }
            Ok(acc)
        }
        Rule::power => {
            let mut inner = pair.into_inner();
            let base = expr(inner.next().unwrap())?;
            match inner.next() {
                Some(exp) => Ok(Expr {
                    kind: ExprKind::Binary {
                        op: BinOp::Pow,
                        lhs: Box::new(base),
                        rhs: Box::new(expr(exp)?),
                    },
                    span,
                }),
                None => Ok(base),
            }
        }
        Rule::unary => {
            let parts: Vec<Pair<Rule>> = pair.into_inner().collect();
            let (negs, rest) = parts.split_at(parts.len() - 1);
            let mut e = expr(rest[0].clone())?;
            for n in negs.iter().rev() {
                e = Expr {
                    span: Span::from(n.as_span()).to(e.span),
                    kind: ExprKind::Neg(Box::new(e)),
                };
            }
            Ok(e)
        }
        Rule::application => application(pair),
        Rule::atom => {
            let mut inner = pair.into_inner();
            let mut e = expr(inner.next().unwrap())?;
            for p in inner {
                e = Expr {
                    span: e.span.to(p.as_span().into()),
                    kind: ExprKind::Prev(Box::new(e)),
                };
            }
            Ok(e)
        }
        Rule::number => {
            let v: f64 = pair.as_str().parse().map_err(|_| {
                Diagnostic::error(format!("`{}` is not a number", pair.as_str()), span)
            })?;
            Ok(Expr {
                kind: ExprKind::Num(v),
                span,
            })
        }
        Rule::bus => Ok(Expr {
            kind: ExprKind::Bus(pair.as_str()[1..].to_string()),
            span,
        }),
        Rule::name => Ok(Expr {
            kind: ExprKind::Name(pair.as_str().to_string()),
            span,
        }),
        Rule::paren => expr(pair.into_inner().next().unwrap()),
        Rule::list => {
            let items = pair.into_inner().map(expr).collect::<Result<_, _>>()?;
            Ok(Expr {
                kind: ExprKind::List(items),
                span,
            })
        }
        r => unreachable!("grammar: unexpected expression rule {r:?}"),
    }
}

fn application(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
    let mut inner = pair.into_inner().peekable();
    let head = inner.next().unwrap();
    let (func, mut args) = match head.as_rule() {
        Rule::call => {
            let mut parts = head.into_inner();
            let func = ident(parts.next().unwrap());
            let args = parts.map(expr).collect::<Result<Vec<_>, _>>()?;
            (func, args)
        }
        Rule::name => (ident(head.into_inner().next().unwrap()), Vec::new()),
        _ => return expr(head), // a lone atom
    };
    let mut prev = 0;
    while inner.peek().is_some_and(|p| p.as_rule() == Rule::postfix) {
        inner.next();
        prev += 1;
    }
    for a in inner {
        args.push(expr(a)?);
    }
    let mut e = Expr {
        kind: ExprKind::App {
            func,
            args,
            pipe: None,
        },
        span,
    };
    for _ in 0..prev {
        e = Expr {
            kind: ExprKind::Prev(Box::new(e)),
            span,
        };
    }
    Ok(e)
}

fn binop(s: &str) -> BinOp {
    match s {
        "<" => BinOp::Lt,
        "<=" => BinOp::Le,
        ">" => BinOp::Gt,
        ">=" => BinOp::Ge,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "*" => BinOp::Mul,
        "/" => BinOp::Div,
        "%" => BinOp::Mod,
        _ => unreachable!("grammar: unknown operator {s}"),
    }
}

/// `value # rhs`: puts `value` as the first argument of the leftmost application in `rhs`
/// (a bare function name counts as an application with no arguments yet).
fn pipe_into(value: Expr, mut rhs: Expr, pipe: Span) -> Result<Expr, Diagnostic> {
    let span = value.span.to(rhs.span);
    let mut slot = Some(value);
    insert_leftmost(&mut rhs, &mut slot, pipe);
    if slot.is_some() {
        return Err(Diagnostic::error(
            "nothing to pipe into: the right side of `#` applies no function",
            rhs.span,
        )
        .with_label("expected a function application here, like `lpf 1000 0.8`")
        .with_help("`a # f x y` means `f a x y`; to scale a signal write `a * 0.5`"));
    }
    rhs.span = span;
    Ok(rhs)
}

fn insert_leftmost(e: &mut Expr, slot: &mut Option<Expr>, pipe: Span) {
    if slot.is_none() {
        return;
    }
    match &mut e.kind {
        ExprKind::App { args, pipe: p, .. } => {
            args.insert(0, slot.take().unwrap());
            *p = Some(pipe);
        }
        ExprKind::Name(name) => {
            let func = Ident {
                name: std::mem::take(name),
                span: e.span,
            };
            e.kind = ExprKind::App {
                func,
                args: vec![slot.take().unwrap()],
                pipe: Some(pipe),
            };
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            insert_leftmost(lhs, slot, pipe);
            insert_leftmost(rhs, slot, pipe);
        }
        ExprKind::Neg(inner) | ExprKind::Prev(inner) => insert_leftmost(inner, slot, pipe),
        ExprKind::Num(_) | ExprKind::Bus(_) | ExprKind::List(_) | ExprKind::Sum { .. } => {}
    }
}

/// Turns pest's error into a diagnostic that says in words what was expected.
fn syntax_error(e: pest::error::Error<Rule>, text: &str) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let mut pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // Literal tokens (`:`, `)`, …) that would have let the parse go on, where pest saw them.
    let mut literals: Vec<String> = Vec::new();
    if let Some(attempts) = e.parse_attempts() {
        if attempts.max_position >= pos {
            // Further on only past white space means the same place: keep the earlier one,
            // which stays on the line the user was writing.
            if !text[pos..attempts.max_position].trim().is_empty() {
                pos = attempts.max_position;
            }
            for t in attempts.expected_tokens() {
                // Only plain punctuation helps a reader; ranges and white space do not.
                let token = t.to_string();
                let useful = !token.trim().is_empty()
                    && !token.contains("..")
                    && !["--", "//", "E", "_", "BUILTIN_RULE"].contains(&token.as_str());
                let operator = [
                    "#", "'", "*", "/", "%", "+", "-", "^", "<", ">", "<=", ">=", "==", "!=",
                ]
                .contains(&token.as_str());
                if operator {
                    literals.push("an operator".to_string());
                } else if useful {
                    literals.push(format!("`{token}`"));
                }
            }
        }
    }
    // Point at the next token, not at the blank before it.
    pos += text[pos..].len() - text[pos..].trim_start_matches([' ', '\t']).len();
    let end = text[pos..]
        .char_indices()
        .nth(1)
        .map_or(text.len(), |(i, _)| pos + i);
    let found = match text[pos..].chars().next() {
        None => "the end of the file".to_string(),
        Some('\n') | Some('\r') => "the end of the line".to_string(),
        Some(c) => format!("`{c}`"),
    };
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<&str> = positives.iter().filter_map(|r| rule_words(*r)).collect();
            words.extend(literals.iter().map(String::as_str));
            words.sort_unstable();
            words.dedup();
            words
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let unclosed = unclosed_bracket(text, pos);
    let mut expected = expected;
    if let Some((open, _)) = unclosed {
        // Where an operator could go on, so could the closing bracket.
        if expected.contains(&"an operator") {
            expected.push(if open == '(' { "`)`" } else { "`]`" });
        }
    }
    let message = if expected.is_empty() {
        format!("unexpected {found}")
    } else {
        format!("expected {}, found {found}", one_of(&expected))
    };
    let mut d = Diagnostic::error(message, Span::new(pos, end.max(pos)));
    if let Some((open, at)) = unclosed {
        let line = text[..at].matches('\n').count() + 1;
        let col = text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at]
            .chars()
            .count()
            + 1;
        let close = if open == '(' { ')' } else { ']' };
        d = d.with_help(format!(
            "the `{open}` at {line}:{col} is never closed with `{close}`"
        ));
    }
    let word_sum = |t: &str| t == "sum";
    let before = text[..pos].trim_end();
    let prev_word = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    let next_word = text[pos..]
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    if word_sum(prev_word) || word_sum(next_word) {
        d = d.with_help(
            "a `sum` inside a larger expression needs parentheses: `0.5 * (sum i 0..4: …)`",
        );
    }
    if ["<", ">", "==", "!="]
        .iter()
        .any(|op| text[pos..].starts_with(op))
        && before.ends_with(|c: char| c.is_alphanumeric() || c == ')' || c == '\'')
    {
        d = d.with_help("comparisons do not chain: write `(a < b) * (b < c)` for both");
    }
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..pos].trim().is_empty() && text[pos..].starts_with('#') {
        d = d
            .with_help("`#` only starts a comment in the first column; use `--` or `//` elsewhere");
    }
    d
}

/// The innermost bracket still open at `pos`, within the definition holding `pos`
/// (which starts at the last line that begins in column 0).
fn unclosed_bracket(text: &str, pos: usize) -> Option<(char, usize)> {
    let mut start = 0;
    for (i, _) in text[..pos].match_indices('\n') {
        let next = text[i + 1..].chars().next();
        if next.is_some_and(|c| !c.is_whitespace()) {
            start = i + 1;
        }
    }
    let mut stack = Vec::new();
    let mut in_comment = false;
    for (i, c) in text[start..pos].char_indices() {
        let rest = &text[start + i..];
        match c {
            '\n' => in_comment = false,
            _ if in_comment => {}
            '-' if rest.starts_with("--") => in_comment = true,
            '/' if rest.starts_with("//") => in_comment = true,
            '(' | '[' => stack.push((c, start + i)),
            ')' | ']' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack.pop()
}

fn one_of(words: &[&str]) -> String {
    match words {
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
        [] => String::new(),
    }
}

fn rule_words(r: Rule) -> Option<&'static str> {
    Some(match r {
        Rule::EOI => "the end of the file",
        Rule::tempo_def | Rule::fn_def | Rule::out_def | Rule::bus_def => {
            "a definition (`~name:`, `out:`, `o1:`, `fn`, `tempo:`)"
        }
        Rule::expr | Rule::pipe | Rule::compare | Rule::additive | Rule::multiplicative => {
            "an expression"
        }
        Rule::power | Rule::unary | Rule::application | Rule::atom | Rule::call => "an expression",
        Rule::sum_expr => "an expression",
        Rule::pipe_op => "an operator",
        Rule::cmp_op => "an operator",
        Rule::add_op => "an operator",
        Rule::mul_op => "an operator",
        Rule::neg => "`-`",
        Rule::postfix => "an operator",
        Rule::paren => "`(`",
        Rule::list => "`[`",
        Rule::name | Rule::ident | Rule::call_name => "a name",
        Rule::number => "a number",
        Rule::bus => "a bus (`~name`)",
        Rule::init_clause | Rule::init_kw => "`init`",
        Rule::out_name => "`out` or `oN`",
        Rule::tempo_kw => "`tempo`",
        Rule::fn_kw => "`fn`",
        Rule::sum_kw => "`sum`",
        _ => return None,
    })
}
