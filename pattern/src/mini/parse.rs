//! The mini-notation grammar: a recursive-descent parser from a string to an [`Ast`] with
//! byte offsets. It follows Tidal's `ParseBP.hs`; see `docs/patterns.md` for where it is
//! deliberately looser or stricter.
//!
//! ```text
//! layers   = sequence ("," sequence)* | sequence ("|" sequence)*
//! sequence = (step | "." | "_" | "@" number? | "!" digits? | ".." step)*
//! step     = atom ("*" atom | "/" atom | "(" sequence "," sequence ("," sequence)? ")" | "?" number?)*
//! atom     = word | number | "~" | "-" | "[" layers "]" | "<" sequence ("," sequence)* ">"
//!          | "{" sequence ("," sequence)* "}" ("%" atom)? | (word | number)? "'" atom ("'" atom)*
//! ```

use super::ast::{Ast, Kind, Node, Step};
use super::error::MiniError;
use crate::time::Time;

/// Deeper bracket nesting than this is refused rather than risking the stack.
const MAX_DEPTH: u32 = 64;
/// More steps than this in one sequence (after `!` repeats) is refused.
const MAX_STEPS: u64 = 1 << 16;

/// Tidal takes either weights or repeats after a step, not both.
const BOTH: &str = "a step can be weighted (`@`, `_`) or repeated (`!`), not both";

/// Parses a mini-notation string.
pub fn parse(src: &str) -> Result<Ast, MiniError> {
    let mut p = Parser {
        src,
        pos: 0,
        seeds: 0,
        depth: 0,
    };
    let root = p.layers()?;
    p.ws();
    if let Some(c) = p.peek() {
        return Err(p.unexpected(p.pos, &format!("expected a step, `,` or `|`, found `{c}`")));
    }
    Ok(Ast {
        root,
        seeds: p.seeds,
    })
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    seeds: u32,
    depth: u32,
}

fn is_word_start(c: char) -> bool {
    c.is_alphanumeric()
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    fn unexpected(&self, at: usize, msg: &str) -> MiniError {
        MiniError::new(at, msg)
    }

    /// "expected …, found X" at the current position.
    fn expected(&self, what: &str) -> MiniError {
        let found = match self.peek() {
            Some(c) => format!("`{c}`"),
            None => "the end of the pattern".into(),
        };
        MiniError::new(self.pos, format!("expected {what}, found {found}"))
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn enter(&mut self, at: usize) -> Result<(), MiniError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(MiniError::new(
                at,
                format!("brackets nested more than {MAX_DEPTH} deep"),
            ));
        }
        Ok(())
    }

    /// Sequences separated by one kind of separator, `,` or `|`.
    fn layers(&mut self) -> Result<Node, MiniError> {
        let start = self.pos;
        let first = self.sequence()?;
        let sep = match self.peek() {
            Some(c @ (',' | '|')) => c,
            _ => return Ok(first),
        };
        let mut items = vec![first];
        while self.eat(sep) {
            items.push(self.sequence()?);
        }
        if let Some(other @ (',' | '|')) = self.peek() {
            return Err(self.unexpected(
                self.pos,
                &format!(
                    "`{other}` cannot be mixed with `{sep}` at one level: put one group in `[ ]`"
                ),
            ));
        }
        let span = start..self.pos;
        if sep == ',' {
            Ok(Node {
                kind: Kind::Stack(items),
                span,
            })
        } else {
            // Tidal numbers the `|` group after the seeds inside it.
            let seed = self.next_seed(span.start)?;
            Ok(Node {
                kind: Kind::Choose {
                    seed,
                    options: items,
                },
                span,
            })
        }
    }

    fn next_seed(&mut self, at: usize) -> Result<u32, MiniError> {
        let s = self.seeds;
        self.seeds = self
            .seeds
            .checked_add(1)
            .ok_or_else(|| MiniError::new(at, "too many random operators"))?;
        Ok(s)
    }

    /// Steps up to a separator or closing bracket.
    fn sequence(&mut self) -> Result<Node, MiniError> {
        let start = self.pos;
        let mut steps: Vec<Step> = Vec::new();
        let mut feet: Vec<Node> = Vec::new();
        let mut foot_start = start;
        let mut count: u64 = 0;
        loop {
            self.ws();
            let at = self.pos;
            match self.peek() {
                None | Some(',' | '|' | ']' | '>' | '}' | ')') => break,
                Some('.') if self.peek_at(1) == Some('.') => {
                    self.bump();
                    self.bump();
                    self.ws();
                    let Some(last) = steps.last_mut() else {
                        return Err(MiniError::new(at, "`..` needs a step before it (`0 .. 3`)"));
                    };
                    let to = self.step()?;
                    let from = std::mem::replace(
                        &mut last.node,
                        Node {
                            kind: Kind::Rest,
                            span: 0..0,
                        },
                    );
                    let span = from.span.start..to.span.end;
                    last.node = Node {
                        kind: Kind::Range(Box::new(from), Box::new(to)),
                        span,
                    };
                }
                Some('.') => {
                    self.bump();
                    let foot = Node {
                        kind: Kind::Sequence(std::mem::take(&mut steps)),
                        span: foot_start..at,
                    };
                    feet.push(foot);
                    foot_start = self.pos;
                }
                Some('?') => {
                    // Tidal's pSequence ends with pRand: a `?` left after the steps (after
                    // `!`, `@` or a space) degrades the whole sequence.
                    if steps.is_empty() && feet.is_empty() {
                        return Err(MiniError::new(
                            at,
                            "`?` degrades the step before it, but there is none",
                        ));
                    }
                    self.bump();
                    let amount = self.number_literal()?.map(|(v, _, _)| v);
                    let seed = self.next_seed(at)?;
                    self.ws();
                    if !matches!(self.peek(), None | Some(',' | '|' | ']' | '>' | '}' | ')')) {
                        return Err(self.expected(
                            "the end of the sequence after its `?` (or write `[ … ]?`)",
                        ));
                    }
                    let inner = self.finish_sequence(steps, feet, start, foot_start);
                    let span = start..self.pos;
                    return Ok(Node {
                        kind: Kind::Degrade {
                            pattern: Box::new(inner),
                            seed,
                            amount,
                        },
                        span,
                    });
                }
                Some('_') => {
                    self.bump();
                    let Some(last) = steps.last_mut() else {
                        return Err(MiniError::new(
                            at,
                            "`_` extends the step before it, but there is none",
                        ));
                    };
                    if last.repeat != 1 {
                        return Err(MiniError::new(at, BOTH));
                    }
                    last.weight = last
                        .weight
                        .checked_add(Time::ONE)
                        .ok_or_else(|| MiniError::new(at, "weight too large"))?;
                }
                Some('@') => {
                    self.bump();
                    let w = match self.number_literal()? {
                        Some((_, text, num_at)) => exact_time(&text).ok_or_else(|| {
                            MiniError::new(
                                num_at,
                                format!("`{text}` is too large or too fine for a weight"),
                            )
                        })?,
                        None => Time::int(2),
                    };
                    let Some(last) = steps.last_mut() else {
                        return Err(MiniError::new(
                            at,
                            "`@` weighs the step before it, but there is none",
                        ));
                    };
                    if last.repeat != 1 {
                        return Err(MiniError::new(at, BOTH));
                    }
                    last.weight = last
                        .weight
                        .checked_add(w)
                        .and_then(|x| x.checked_sub(Time::ONE))
                        .ok_or_else(|| MiniError::new(at, "weight too large"))?;
                }
                Some('!') => {
                    self.bump();
                    let digits_at = self.pos;
                    let n = self.digits();
                    let add: u64 = if n.is_empty() {
                        1
                    } else {
                        match n.parse::<u64>() {
                            Ok(v) if v <= MAX_STEPS => v.saturating_sub(1),
                            _ => {
                                return Err(MiniError::new(
                                    digits_at,
                                    format!("`!{n}` repeats more than {MAX_STEPS} times"),
                                ))
                            }
                        }
                    };
                    let Some(last) = steps.last_mut() else {
                        return Err(MiniError::new(
                            at,
                            "`!` repeats the step before it, but there is none",
                        ));
                    };
                    if last.weight != Time::ONE {
                        return Err(MiniError::new(at, BOTH));
                    }
                    // `x!0` removes the step, as in Tidal (1 + (0 - 1) = 0 copies).
                    let r = if n == "0" {
                        0
                    } else {
                        last.repeat as u64 + add
                    };
                    count += add;
                    if count > MAX_STEPS {
                        return Err(MiniError::new(
                            at,
                            format!("a sequence of more than {MAX_STEPS} steps"),
                        ));
                    }
                    last.repeat = r as u32;
                }
                Some(_) => {
                    let node = self.step()?;
                    count += 1;
                    if count > MAX_STEPS {
                        return Err(MiniError::new(
                            at,
                            format!("a sequence of more than {MAX_STEPS} steps"),
                        ));
                    }
                    steps.push(Step {
                        node,
                        weight: Time::ONE,
                        repeat: 1,
                    });
                }
            }
        }
        Ok(self.finish_sequence(steps, feet, start, foot_start))
    }

    /// The sequence node of `steps`, or of feet when `.` divided them.
    fn finish_sequence(
        &self,
        steps: Vec<Step>,
        mut feet: Vec<Node>,
        start: usize,
        foot_start: usize,
    ) -> Node {
        let end = self.pos;
        if feet.is_empty() {
            return Node {
                kind: Kind::Sequence(steps),
                span: start..end,
            };
        }
        // A trailing `.` adds no empty foot (as Tidal's splitFeet).
        if !steps.is_empty() {
            feet.push(Node {
                kind: Kind::Sequence(steps),
                span: foot_start..end,
            });
        }
        Node {
            kind: Kind::Feet(feet),
            span: start..end,
        }
    }

    /// An atom and its modifiers (no space before a modifier, as in Tidal).
    fn step(&mut self) -> Result<Node, MiniError> {
        let start = self.pos;
        let mut node = self.atom()?;
        loop {
            let at = self.pos;
            match self.peek() {
                Some(c @ ('*' | '/')) => {
                    self.bump();
                    self.ws();
                    if !matches!(self.peek(), Some(c) if c.is_ascii_digit() || matches!(c, '-' | '[' | '<' | '{'))
                    {
                        return Err(self.expected(&format!("a number or a bracket after `{c}`")));
                    }
                    let factor = self.atom()?;
                    let span = start..self.pos;
                    let (a, b) = (Box::new(node), Box::new(factor));
                    node = Node {
                        kind: if c == '*' {
                            Kind::Fast(a, b)
                        } else {
                            Kind::Slow(a, b)
                        },
                        span,
                    };
                }
                Some('(') => {
                    self.bump();
                    self.enter(at)?;
                    let pulses = self.sequence()?;
                    if !self.eat(',') {
                        return Err(self.expected("`,` between the pulses and steps of `(k,n)`"));
                    }
                    let steps = self.sequence()?;
                    let rotation = if self.eat(',') {
                        Some(Box::new(self.sequence()?))
                    } else {
                        None
                    };
                    if !self.eat(')') {
                        return Err(self.expected("`)` or `,` to end `(k,n,r)`"));
                    }
                    self.depth -= 1;
                    for arg in [&pulses, &steps].into_iter().chain(rotation.as_deref()) {
                        if matches!(&arg.kind, Kind::Sequence(s) if s.is_empty()) {
                            return Err(MiniError::new(
                                arg.span.start,
                                "an empty argument in `(k,n,r)`",
                            ));
                        }
                    }
                    node = Node {
                        kind: Kind::Euclid {
                            pattern: Box::new(node),
                            pulses: Box::new(pulses),
                            steps: Box::new(steps),
                            rotation,
                        },
                        span: start..self.pos,
                    };
                }
                Some('?') => {
                    self.bump();
                    let amount = self.number_literal()?.map(|(v, _, _)| v);
                    let seed = self.next_seed(at)?;
                    node = Node {
                        kind: Kind::Degrade {
                            pattern: Box::new(node),
                            seed,
                            amount,
                        },
                        span: start..self.pos,
                    };
                }
                Some('\'') => {
                    // A chord on whatever came before: `c'maj`, `<c e>'min`.
                    node = self.chord(Some(node), start)?;
                }
                Some(':') => {
                    return Err(MiniError::new(
                        at,
                        "`:` only follows a word (`bd:3`), with no space before it",
                    ));
                }
                _ => break,
            }
        }
        Ok(node)
    }

    /// A number literal right here, if there is one: value, text, offset.
    fn number_literal(&mut self) -> Result<Option<(f64, String, usize)>, MiniError> {
        let at = self.pos;
        let starts = match self.peek() {
            Some(c) if c.is_ascii_digit() => true,
            Some('-') => self.peek_at(1).is_some_and(|c| c.is_ascii_digit()),
            _ => false,
        };
        if !starts {
            return Ok(None);
        }
        let end = scan_number(self.src, at);
        let text = &self.src[at..end];
        self.pos = end;
        let v = number_value(text)
            .ok_or_else(|| MiniError::new(at, format!("`{text}` is not a finite number")))?;
        Ok(Some((v, text.to_string(), at)))
    }

    fn digits(&mut self) -> String {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        self.src[start..self.pos].to_string()
    }

    fn atom(&mut self) -> Result<Node, MiniError> {
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Err(self.expected("a step"));
        };
        match c {
            '[' => {
                self.bump();
                self.enter(start)?;
                let inner = self.layers()?;
                if !self.eat(']') {
                    return Err(self.expected("a step, `]`, `,` or `|`"));
                }
                self.depth -= 1;
                // The brackets' own span, the contents' node.
                Ok(Node {
                    kind: inner.kind,
                    span: start..self.pos,
                })
            }
            '<' | '{' => {
                self.bump();
                self.enter(start)?;
                let close = if c == '<' { '>' } else { '}' };
                let mut layers = vec![self.sequence()?];
                while self.eat(',') {
                    layers.push(self.sequence()?);
                }
                if !self.eat(close) {
                    if self.peek() == Some('|') {
                        return Err(MiniError::new(
                            self.pos,
                            format!(
                                "`|` is not allowed inside `{c} {close}`: put the choice in `[ ]`"
                            ),
                        ));
                    }
                    return Err(self.expected(&format!("a step, `,` or `{close}`")));
                }
                self.depth -= 1;
                if c == '<' {
                    return Ok(Node {
                        kind: Kind::Alternate(layers),
                        span: start..self.pos,
                    });
                }
                let steps = if self.eat('%') {
                    if !matches!(self.peek(), Some(c) if c.is_ascii_digit() || matches!(c, '[' | '<' | '{'))
                    {
                        return Err(self.expected("a number or a bracket after `%`"));
                    }
                    Some(Box::new(self.atom()?))
                } else {
                    None
                };
                Ok(Node {
                    kind: Kind::Polymeter { layers, steps },
                    span: start..self.pos,
                })
            }
            '~' => {
                self.bump();
                Ok(Node {
                    kind: Kind::Rest,
                    span: start..self.pos,
                })
            }
            '-' if !self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) => {
                self.bump();
                Ok(Node {
                    kind: Kind::Rest,
                    span: start..self.pos,
                })
            }
            '\'' => self.chord(None, start),
            c if is_word_start(c) || c == '-' => self.word_or_number(),
            _ => Err(self.expected("a step (a word, a number, `~`, `[`, `<` or `{`)")),
        }
    }

    fn word_or_number(&mut self) -> Result<Node, MiniError> {
        let start = self.pos;
        let num_end = if self.peek() == Some('-') || self.peek().is_some_and(|c| c.is_ascii_digit())
        {
            scan_number(self.src, start)
        } else {
            start
        };
        let continues = |p: &Self, i: usize| {
            p.src[i..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == ':')
        };
        if num_end > start && !continues(self, num_end) {
            self.pos = num_end;
            let text = &self.src[start..num_end];
            let v = number_value(text)
                .ok_or_else(|| MiniError::new(start, format!("`{text}` is not a finite number")))?;
            return Ok(Node {
                kind: Kind::Number(v, text.to_string()),
                span: start..num_end,
            });
        }
        if self.peek() == Some('-') {
            // `-1a`: Tidal reads a rest, then the word.
            self.bump();
            return Ok(Node {
                kind: Kind::Rest,
                span: start..self.pos,
            });
        }
        // A word: letters and digits, then also `:`, `_`, `-`, and `.` before a letter or
        // digit (Tidal's `pString`; `..` and a foot's `.` stay outside).
        self.bump();
        loop {
            match self.peek() {
                Some(c) if c.is_alphanumeric() || matches!(c, ':' | '_' | '-') => {
                    self.bump();
                }
                Some('.') if self.peek_at(1).is_some_and(|c| c.is_alphanumeric()) => {
                    self.bump();
                }
                _ => break,
            }
        }
        let text = &self.src[start..self.pos];
        if text.ends_with(':') {
            return Err(MiniError::new(
                self.pos,
                format!("expected an index after `{text}`"),
            ));
        }
        Ok(Node {
            kind: Kind::Word(text.to_string()),
            span: start..self.pos,
        })
    }

    /// `'name` and `'modifier`s after an optional root.
    fn chord(&mut self, root: Option<Node>, start: usize) -> Result<Node, MiniError> {
        self.bump(); // the first '
        if !matches!(self.peek(), Some(c) if c.is_alphanumeric() || matches!(c, '[' | '<' | '{')) {
            return Err(self.expected("a chord name after `'` (`c'maj`)"));
        }
        let name = self.atom()?;
        let mut modifiers = Vec::new();
        while self.eat('\'') {
            if !matches!(self.peek(), Some(c) if c.is_alphanumeric() || matches!(c, '[' | '<' | '{'))
            {
                return Err(
                    self.expected("a chord modifier after `'` (`i`, `o`, `d1` or a number)")
                );
            }
            modifiers.push(self.atom()?);
        }
        Ok(Node {
            kind: Kind::Chord {
                root: root.map(Box::new),
                name: Box::new(name),
                modifiers,
            },
            span: start..self.pos,
        })
    }
}

/// The end of `-?digits(.digits)?(e-?digits)?(%digits)?` starting at `at` (Tidal's
/// `pFloat` and `pFraction`); `at` itself when there is no number.
fn scan_number(src: &str, at: usize) -> usize {
    let b = src.as_bytes();
    let mut i = at;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let int_end = digits(i);
    if int_end == i {
        return at;
    }
    i = int_end;
    let mut plain_int = true;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
        plain_int = false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let j = if b.get(i + 1) == Some(&b'-') {
            i + 2
        } else {
            i + 1
        };
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            i = digits(j);
            plain_int = false;
        }
    }
    if plain_int && b.get(i) == Some(&b'%') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i = digits(i + 1);
    }
    i
}

/// The value of a number literal as `f64`, `None` if it is not finite.
pub(crate) fn number_value(text: &str) -> Option<f64> {
    let v = match text.split_once('%') {
        Some((n, d)) => n.parse::<f64>().ok()? / d.parse::<f64>().ok()?,
        None => text.parse::<f64>().ok()?,
    };
    v.is_finite().then_some(v)
}

/// The exact value of a number literal as a time (`1%3` is 1/3, `0.1` is 1/10).
pub(crate) fn exact_time(text: &str) -> Option<Time> {
    match text.split_once('%') {
        Some((n, d)) => Time::new(n.parse().ok()?, d.parse().ok()?),
        None => text.parse().ok(),
    }
}
