//! Diagnostics: an error with a span, rendered as `file:line:col`, the line, and a caret.

use crate::span::Span;
use std::fmt::Write;

/// A source file: its name (as shown in messages) and its text.
#[derive(Clone, Debug)]
pub struct Source {
    /// Shown in messages, e.g. `song.kn`.
    pub name: String,
    /// The full text.
    pub text: String,
}

impl Source {
    /// A named source text.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// The text of the line holding `offset`, without its newline, and its start offset.
    fn line_at(&self, offset: usize) -> (&str, usize) {
        let offset = offset.min(self.text.len());
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        (self.text[start..end].trim_end_matches('\r'), start)
    }
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Compilation fails.
    Error,
    /// Compilation goes on.
    Warning,
}

/// One message about the program, optionally pointing at a span.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The headline.
    pub message: String,
    /// Where, if anywhere.
    pub span: Option<Span>,
    /// Text under the caret.
    pub label: String,
    /// `help:` lines.
    pub help: Vec<String>,
}

impl Diagnostic {
    /// An error at a span.
    pub fn error(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: Some(span),
            label: String::new(),
            help: Vec::new(),
        }
    }

    /// An error about the program as a whole.
    pub fn global(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: String::new(),
            help: Vec::new(),
        }
    }

    /// A warning at a span.
    pub fn warning(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message, span)
        }
    }

    /// Adds the text shown under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Renders the diagnostic the way a compiler prints it:
    ///
    /// ```text
    /// error: unknown function `sinee`
    ///  --> song.kn:3:5
    ///   |
    /// 3 | ~x: sinee 440
    ///   |     ^^^^^ did you mean `sine`?
    /// ```
    pub fn render(&self, src: &Source) -> String {
        let mut out = String::new();
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{kind}: {}", self.message);
        match self.span {
            Some(span) => {
                let (line, col) = src.line_col(span.start);
                let (text, line_start) = src.line_at(span.start);
                let gutter = line.to_string().len();
                let pad = " ".repeat(gutter);
                let _ = writeln!(out, "{pad}--> {}:{line}:{col}", src.name);
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{line} | {text}");
                let caret_start = text[..(span.start - line_start).min(text.len())]
                    .chars()
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect::<String>();
                let line_end = line_start + text.len();
                let width = src.text
                    [span.start.min(line_end)..span.end.clamp(span.start, line_end)]
                    .chars()
                    .count()
                    .max(1);
                let label = if self.label.is_empty() {
                    String::new()
                } else {
                    format!(" {}", self.label)
                };
                let _ = writeln!(out, "{pad} | {caret_start}{}{label}", "^".repeat(width));
                for h in &self.help {
                    let _ = writeln!(out, "{pad} = help: {h}");
                }
            }
            None => {
                let _ = writeln!(out, " --> {}", src.name);
                for h in &self.help {
                    let _ = writeln!(out, "  = help: {h}");
                }
            }
        }
        out
    }
}

/// The known name nearest to `name` by edit distance, if any is close enough to suggest.
/// Of equally near names the first wins, so list the likelier ones (the user's own) first.
pub fn nearest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1) + 1;
    known
        .into_iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, k)| k)
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_nearest() {
        let known = ["sine", "saw", "square", "lpf"];
        assert_eq!(nearest("sinee", known), Some("sine"));
        assert_eq!(nearest("lfp", known), Some("lpf"));
        assert_eq!(nearest("zzzzzz", known), None);
        // Ties go to the first listed.
        assert_eq!(nearest("voise", ["voice", "noise"]), Some("voice"));
        assert_eq!(nearest("voise", ["noise", "voice"]), Some("noise"));
    }

    #[test]
    fn renders_caret_under_span() {
        let src = Source::new("t.kn", "tempo: 1\n~x: sinee 440\n");
        let d = Diagnostic::error("unknown function `sinee`", Span::new(13, 18))
            .with_label("did you mean `sine`?");
        assert_eq!(
            d.render(&src),
            "error: unknown function `sinee`\n --> t.kn:2:5\n  |\n2 | ~x: sinee 440\n  |     ^^^^^ did you mean `sine`?\n"
        );
    }
}
