//! Outputs: `out:` and `oN:` definitions mixed into the program's output channels.

use super::{Lowerer, Scope, Value, MAX_CHANNELS};
use crate::ir::{BinOp, Builder, NodeId};
use crate::key::Root;
use kanon_lang::ast::{self, Item, OutTarget};
use kanon_lang::diag::Severity;
use kanon_lang::Diagnostic;

impl<'a> Lowerer<'a> {
    /// Lowers every output definition and mixes them into channels: a one-channel `out:`
    /// goes to every channel, a multichannel one channel by channel, `oN:` to channel N.
    pub(super) fn outputs(&mut self, program: &'a ast::Program) {
        let mut main: Option<Value> = None;
        let mut channels: Vec<(u32, NodeId)> = Vec::new();
        for item in &program.items {
            let Item::Out { target, body, span } = item else {
                continue;
            };
            let name = out_name(*target);
            if matches!(target, OutTarget::Channel(n) if *n as usize > MAX_CHANNELS) {
                self.errors.push(
                    Diagnostic::error(format!("there is no channel `{name}`"), *span).with_help(
                        format!("channel outputs are numbered from 1 to {MAX_CHANNELS}"),
                    ),
                );
                continue;
            }
            let mut sc = Scope::root(None, Root::Output(name.clone()), body);
            let v = match self.expr(body, &mut sc) {
                Ok(v) => v,
                Err(d) => {
                    self.errors.push(d);
                    continue;
                }
            };
            if v.len() > MAX_CHANNELS {
                self.errors.push(Diagnostic::error(
                    format!(
                        "this is {} channels; a program has at most {MAX_CHANNELS}",
                        v.len()
                    ),
                    body.span,
                ));
                continue;
            }
            match target {
                OutTarget::Main => main = Some(v),
                OutTarget::Channel(n) => {
                    // Phonon's outputs are mono: a stereo reverb or a `jux` sent to
                    // `oN` plays there as the mean of its channels, with a warning.
                    let mut x = v[0];
                    if v.len() != 1 {
                        self.warnings.push(
                            Diagnostic::warning(
                                format!(
                                    "`{name}` is one channel: the {} channels of this value are mixed into it",
                                    v.len()
                                ),
                                body.span,
                            )
                            .with_help("send a multichannel value to `out:`, or pick one channel per `oN:`"),
                        );
                        for &c in &v[1..] {
                            x = self.b.binary(crate::ir::BinOp::Add, x, c);
                        }
                        let k = self.b.constant(1.0 / v.len() as f64);
                        x = self.b.binary(crate::ir::BinOp::Mul, x, k);
                    }
                    channels.push((*n, x));
                }
            }
        }
        if main.is_none() && channels.is_empty() {
            main = self.auto_route();
        }
        let width = main
            .as_ref()
            .map_or(0, Vec::len)
            .max(channels.iter().map(|&(n, _)| n as usize).max().unwrap_or(0));
        if width == 0 {
            self.warnings.push(Diagnostic {
                severity: Severity::Warning,
                ..Diagnostic::global(
                    "the program has no output: add `out: …` (or `o1: …`) to hear it",
                )
            });
        }
        let mut outputs = Vec::new();
        for ch in 0..width {
            let mut acc: Option<NodeId> = None;
            let mut mix = |b: &mut Builder, v: NodeId| {
                acc = Some(match acc {
                    None => v,
                    Some(a) => b.binary(BinOp::Add, a, v),
                });
            };
            if let Some(m) = &main {
                if m.len() == 1 {
                    mix(&mut self.b, m[0]);
                } else if ch < m.len() {
                    mix(&mut self.b, m[ch]);
                }
            }
            for &(n, v) in &channels {
                if n as usize == ch + 1 {
                    mix(&mut self.b, v);
                }
            }
            let v = acc.unwrap_or_else(|| self.b.constant(0.0));
            outputs.push(v);
        }
        self.b.program_mut().outputs = outputs;
    }
}

impl<'a> Lowerer<'a> {
    /// Phonon's (and Tidal's) output of a program without `out:` or `oN:`: the bus
    /// `~master` if there is one, else the sum of the buses `~d1`, `~d2`, … (in number
    /// order); `None` if there are neither.
    fn auto_route(&mut self) -> Option<Value> {
        let number = |n: &str| n.strip_prefix('d').and_then(|d| d.parse::<u32>().ok());
        let mut routed: Vec<(u32, &'a str)> = match self.buses.get("master") {
            Some(b) => vec![(0, b.name.name.as_str())],
            None => self
                .buses
                .values()
                .filter_map(|b| number(&b.name.name).map(|i| (i, b.name.name.as_str())))
                .collect(),
        };
        routed.sort_unstable();
        let mut acc: Option<Value> = None;
        for (_, name) in routed {
            let span = self.buses[name].name.span;
            let v = match self.bus_signal(name, span) {
                Ok(v) => v,
                Err(d) => {
                    self.errors.push(d);
                    continue;
                }
            };
            acc = Some(match acc {
                None => v,
                Some(a) => match self.broadcast(a, v, span) {
                    Ok((a, v)) => a
                        .iter()
                        .zip(&v)
                        .map(|(&x, &y)| self.b.binary(BinOp::Add, x, y))
                        .collect(),
                    Err(d) => {
                        self.errors.push(d);
                        return None;
                    }
                },
            });
        }
        acc
    }
}

/// The name an output is written with: `out` or `oN`.
pub(super) fn out_name(t: OutTarget) -> String {
    match t {
        OutTarget::Main => "out".to_string(),
        OutTarget::Channel(n) => format!("o{n}"),
    }
}
