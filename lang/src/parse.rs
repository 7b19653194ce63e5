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
            let unit = match inner.next().unwrap().as_str() {
                "bpm" => TempoUnit::Bpm,
                _ => TempoUnit::Cps,
            };
            Item::Tempo {
                value: expr(inner.next().unwrap())?,
                unit,
                span,
            }
        }
        Rule::bus_def => {
            let name = bus_ident(inner.next().unwrap());
            inner.next(); // `:` or `$`
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
                    let digits = s.trim_start_matches("out").trim_start_matches('o');
                    let n: u32 = digits.parse().unwrap_or(0);
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
            inner.next(); // `:` or `$`
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

/// Deepest expression tree accepted. Later stages walk expressions recursively, so this
/// bounds their stack use; no hand-written expression comes near it.
pub const MAX_DEPTH: usize = 200;

thread_local! {
    /// How many [`expr`] calls are active on this thread.
    static BUILDING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one active [`expr`] call while alive.
struct Nesting;

impl Nesting {
    fn enter(span: Span) -> Result<Nesting, Diagnostic> {
        let depth = BUILDING.with(|b| {
            b.set(b.get() + 1);
            b.get()
        });
        let guard = Nesting;
        // Nested calls follow the expression tree (one-child rules are skipped), so a
        // tree within the limit never gets here.
        if depth > MAX_DEPTH + 1 {
            return Err(too_deep(span));
        }
        Ok(guard)
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        BUILDING.with(|b| b.set(b.get() - 1));
    }
}

fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::error("this expression is nested too deeply", span)
        .with_help("split it into buses (`~part: …`) and combine those")
}

/// Depth of an expression tree (a leaf is 1). Only called on trees already checked
/// against [`MAX_DEPTH`] (or one level above it), so the recursion is bounded.
fn depth(e: &Expr) -> usize {
    1 + match &e.kind {
        ExprKind::Num(_) | ExprKind::Str(_) | ExprKind::Bus(_) | ExprKind::Name(_) => 0,
        ExprKind::App { args: items, .. } | ExprKind::List(items) => {
            items.iter().map(depth).max().unwrap_or(0)
        }
        ExprKind::Binary { lhs, rhs, .. } | ExprKind::Dollar { lhs, rhs } => {
            depth(lhs).max(depth(rhs))
        }
        ExprKind::Neg(a) | ExprKind::Prev(a) => depth(a),
        ExprKind::Keyword { value, .. } => depth(value),
        ExprKind::Sum { from, to, body, .. } => depth(from).max(depth(to)).max(depth(body)),
    }
}

/// Fails once a tree built up in a loop (operator chains, pipes, `-`, `'`) gets too deep,
/// before it can grow further.
fn check_depth(d: usize, span: Span) -> Result<(), Diagnostic> {
    if d > MAX_DEPTH {
        Err(too_deep(span))
    } else {
        Ok(())
    }
}

/// Builds the expression of a parse-tree node, refusing trees deeper than [`MAX_DEPTH`].
fn expr(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let _nesting = Nesting::enter(pair.as_span().into())?;
    // Skip the chain of one-child rules every operand goes through (`pipe` → `compare` →
    // … → `atom` → `paren`), so the recursion follows the expression, not the grammar.
    let mut pair = pair;
    loop {
        let passthrough = matches!(
            pair.as_rule(),
            Rule::pipe
                | Rule::compare
                | Rule::additive
                | Rule::multiplicative
                | Rule::power
                | Rule::unary
                | Rule::atom
                | Rule::paren
                | Rule::application
        );
        let mut inner = pair.clone().into_inner();
        match (inner.next(), inner.next()) {
            (Some(only), None)
                if passthrough
                    && (pair.as_rule() != Rule::application || only.as_rule() == Rule::atom) =>
            {
                pair = only
            }
            _ => break,
        }
    }
    let e = build(pair)?;
    check_depth(depth(&e), e.span)?;
    Ok(e)
}

/// Builds one expression node. Each kind has its own function: in a debug build one
/// big `match` would put every arm's temporaries in each recursive frame.
fn build(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    match pair.as_rule() {
        Rule::sum_expr => sum(pair),
        Rule::pipe => pipe(pair),
        Rule::compare | Rule::additive | Rule::multiplicative => chain(pair),
        Rule::power => power(pair),
        Rule::unary => unary(pair),
        Rule::application => application(pair),
        Rule::atom => atom(pair),
        Rule::kwarg => keyword(pair),
        Rule::paren => expr(pair.into_inner().next().unwrap()),
        Rule::list => list(pair),
        Rule::number | Rule::bus | Rule::name | Rule::string | Rule::negative => leaf(pair),
        r => unreachable!("grammar: unexpected expression rule {r:?}"),
    }
}

fn sum(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
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

/// `a # b $ c # d`: the runs joined by `$` first (left-associative: `(a $ b) $ c`),
/// then those joined by `#`, left to right.
fn pipe(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let mut inner = pair.into_inner().peekable();
    let mut acc = dollar_run(expr(inner.next().unwrap())?, &mut inner)?;
    while let Some(op) = inner.next() {
        let rhs = dollar_run(expr(inner.next().unwrap())?, &mut inner)?;
        acc = pipe_into(acc, rhs, op.as_span().into())?;
        check_depth(depth(&acc), acc.span)?;
    }
    Ok(acc)
}

/// `first $ b $ c` as long as `$` follows.
fn dollar_run(
    first: Expr,
    inner: &mut std::iter::Peekable<pest::iterators::Pairs<Rule>>,
) -> Result<Expr, Diagnostic> {
    let mut acc = first;
    let mut d = depth(&acc);
    while inner.peek().is_some_and(|p| p.as_rule() == Rule::dollar_op) {
        inner.next();
        let rhs = expr(inner.next().unwrap())?;
        let span = acc.span.to(rhs.span);
        d = d.max(depth(&rhs)) + 1;
        check_depth(d, span)?;
        acc = Expr {
            kind: ExprKind::Dollar {
                lhs: Box::new(acc),
                rhs: Box::new(rhs),
            },
            span,
        };
    }
    Ok(acc)
}

/// A left-associative chain of binary operators.
fn chain(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let mut inner = pair.into_inner();
    let mut acc = expr(inner.next().unwrap())?;
    let mut d = depth(&acc);
    while let Some(op) = inner.next() {
        let rhs = expr(inner.next().unwrap())?;
        let op = binop(op.as_str());
        let span = acc.span.to(rhs.span);
        d = d.max(depth(&rhs)) + 1;
        check_depth(d, span)?;
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

fn power(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
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

fn unary(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
    let parts: Vec<Pair<Rule>> = pair.into_inner().collect();
    let (negs, rest) = parts.split_at(parts.len() - 1);
    let mut e = expr(rest[0].clone())?;
    check_depth(depth(&e) + negs.len(), span)?;
    for n in negs.iter().rev() {
        e = Expr {
            span: Span::from(n.as_span()).to(e.span),
            kind: ExprKind::Neg(Box::new(e)),
        };
    }
    Ok(e)
}

fn atom(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
    let mut inner = pair.into_inner();
    let mut e = expr(inner.next().unwrap())?;
    check_depth(depth(&e) + inner.len(), span)?;
    for p in inner {
        e = Expr {
            span: e.span.to(p.as_span().into()),
            kind: ExprKind::Prev(Box::new(e)),
        };
    }
    Ok(e)
}

fn keyword(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
    let mut inner = pair.into_inner();
    let name = inner.next().unwrap();
    let name = Ident {
        name: name.as_str()[1..].to_string(),
        span: name.as_span().into(),
    };
    let value = expr(inner.next().unwrap())?;
    Ok(Expr {
        kind: ExprKind::Keyword {
            name,
            value: Box::new(value),
        },
        span,
    })
}

fn list(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
    let mut items = Vec::new();
    for p in pair.into_inner() {
        items.push(expr(p)?);
    }
    Ok(Expr {
        kind: ExprKind::List(items),
        span,
    })
}

fn leaf(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
    let kind = match pair.as_rule() {
        Rule::number | Rule::negative => ExprKind::Num(pair.as_str().parse().map_err(|_| {
            Diagnostic::error(format!("`{}` is not a number", pair.as_str()), span)
        })?),
        Rule::bus => ExprKind::Bus(pair.as_str()[1..].to_string()),
        Rule::string => ExprKind::Str(pair.into_inner().next().unwrap().as_str().to_string()),
        _ => ExprKind::Name(pair.as_str().to_string()),
    };
    Ok(Expr { kind, span })
}

fn application(pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
    let span: Span = pair.as_span().into();
    let mut inner = pair.into_inner().peekable();
    let head = inner.next().unwrap();
    let (func, mut args) = match head.as_rule() {
        Rule::call => {
            let mut parts = head.into_inner();
            let func = ident(parts.next().unwrap());
            let mut args = Vec::new();
            for p in parts {
                args.push(expr(p)?);
            }
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
    check_depth(depth(&e) + prev, span)?;
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
        // `a # b $ f`: into the leftmost application of `b`.
        ExprKind::Dollar { lhs, .. } => insert_leftmost(lhs, slot, pipe),
        ExprKind::Neg(inner) | ExprKind::Prev(inner) => insert_leftmost(inner, slot, pipe),
        ExprKind::Keyword { .. }
        | ExprKind::Num(_)
        | ExprKind::Str(_)
        | ExprKind::Bus(_)
        | ExprKind::List(_)
        | ExprKind::Sum { .. } => {}
    }
}

/// What a reader is told a new line may start with.
const DEFINITION: &str = "a definition (`~name: …`, `out: …`, `o1: …`, `fn …`, `tempo: …`)";

/// Turns pest's error into a diagnostic that says in words what was expected.
fn syntax_error(e: pest::error::Error<Rule>, text: &str) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let mut pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if let ErrorVariant::CustomError { message } = &e.variant {
        // pest stops before the stack runs out ("stack limit reached").
        if message.contains("limit") {
            return too_deep(Span::new(pos, pos));
        }
    }
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
                    && !["--", "//", "E", "_", "BUILTIN_RULE", "\""].contains(&token.as_str());
                if useful {
                    literals.push(format!("`{token}`"));
                }
            }
        }
    }
    // `$` after a name is Phonon's spelling of `:`; offering `:` alone reads better.
    if literals.iter().any(|l| l == "`:`") {
        literals.retain(|l| l != "`$`");
    }
    // pest may stop at the white space before a token: point at the token.
    pos += text[pos..].len() - text[pos..].trim_start_matches([' ', '\t']).len();
    // What is there: a whole word or number, else one character.
    let word_len = text[pos..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len() - pos);
    let end = if word_len > 0 {
        pos + word_len
    } else {
        text[pos..]
            .char_indices()
            .nth(1)
            .map_or(text.len(), |(i, _)| pos + i)
    };
    let found = match text[pos..].chars().next() {
        None => "the end of the file".to_string(),
        Some('\n') | Some('\r') => "the end of the line".to_string(),
        Some(c) if c.is_alphanumeric() || c.is_ascii_graphic() => {
            format!("`{}`", &text[pos..end])
        }
        Some(c) => format!("the character U+{:04X}", u32::from(c)),
    };
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let unclosed = unclosed_bracket(text, pos);
    let mut expected: Vec<&str> = match &e.variant {
        // Only a new definition can start in the first column.
        _ if pos == line_start => vec![DEFINITION],
        ErrorVariant::ParsingError { positives, .. } => {
            let mut words: Vec<&str> = positives.iter().filter_map(|r| rule_words(*r)).collect();
            words.extend(literals.iter().map(String::as_str));
            // The characters an expression can start with say less than "an expression".
            if words.contains(&"an expression") {
                words.retain(|w| !["`(`", "`[`", "`-`", "`_`", "`~`", "`sum`"].contains(w));
            }
            // Any operator could continue the expression: say so once.
            let operators = [
                "`#`",
                "`'`",
                "`*`, `/` or `%`",
                "`+` or `-`",
                "a comparison",
                "`+`",
                "`-`",
                "`*`",
                "`/`",
                "`%`",
                "`^`",
                "`<`",
                "`<=`",
                "`>`",
                "`>=`",
                "`==`",
                "`!=`",
            ];
            if words.iter().any(|w| operators.contains(w)) {
                words.retain(|w| !operators.contains(w));
                words.push("an operator");
            }
            // The rest of a name is no news after a name.
            words.retain(|w| *w != "`_`");
            // The words a definition starts with say less than "a definition".
            let starts = ["`fn`", "`out` or `oN`", "`tempo`", "`cps`", "`o`", "`out`"];
            if words.contains(&DEFINITION) || words.iter().any(|w| starts.contains(w)) {
                words.retain(|w| {
                    !starts.contains(w) && !["`~`", "`#`", "a bus (`~name`)"].contains(w)
                });
                words.push(DEFINITION);
            }
            words
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    if let Some((open, _)) = unclosed {
        expected.push(if open == '(' { "`)`" } else { "`]`" });
    }
    expected.sort_unstable();
    expected.dedup();
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
        d = d.with_help(format!("the `{open}` at {line}:{col} is not closed"));
    }
    if pos == line_start && word_len > 0 && text[end..].trim_start().starts_with(':') {
        d = d.with_help(format!(
            "bus names start with `~`: `~{}: …`",
            &text[pos..end]
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
    if text[line_start..pos].trim().is_empty() && text[pos..].starts_with('#') {
        d = d
            .with_help("`#` only starts a comment in the first column; use `--` or `//` elsewhere");
    }
    d
}

/// The innermost `(` or `[` still open at `pos` in the definition around it, and where.
fn unclosed_bracket(text: &str, pos: usize) -> Option<(char, usize)> {
    // The definition starts at the last line before `pos` that is not indented.
    let mut start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    while start > 0 && text[start..].starts_with([' ', '\t']) {
        start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
    }
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut rest = text[start..pos].char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        match c {
            '(' | '[' => open.push((c, start + i)),
            ')' | ']' => {
                open.pop();
            }
            '-' | '/' if rest.peek().is_some_and(|&(_, n)| n == c) => {
                // A comment: skip to the end of the line.
                while rest.next_if(|&(_, n)| n != '\n').is_some() {}
            }
            _ => {}
        }
    }
    open.pop()
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
        // A definition ends at the end of its line (or of the file).
        Rule::EOI => "the end of the line",
        Rule::tempo_def | Rule::fn_def | Rule::out_def | Rule::bus_def => DEFINITION,
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
