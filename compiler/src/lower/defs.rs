//! Definitions: collects buses, outputs and functions, refusing names defined twice and
//! functions that shadow builtins. `tempo:` may be set again: the last one applies, with
//! a warning (Phonon's pattern libraries set it per section).

use super::outputs::out_name;
use super::{BusDef, FnDef, Lowerer, CONSTANTS};
use crate::builtins;
use crate::ir::Builder;
use kanon_lang::ast::{self, Item};
use kanon_lang::{Diagnostic, Span};
use std::collections::HashMap;

impl<'a> Lowerer<'a> {
    /// A lowerer for `program`, or the errors of its definitions.
    pub(super) fn new(
        program: &'a ast::Program,
        text: &'a str,
        sample_rate: f64,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut buses: HashMap<&str, BusDef> = HashMap::new();
        let mut fns: HashMap<&str, FnDef> = HashMap::new();
        let mut first: HashMap<String, Span> = HashMap::new();
        let mut tempos: Vec<Span> = Vec::new();
        for item in &program.items {
            let (key, span) = match item {
                Item::Bus { name, .. } => (format!("~{}", name.name), name.span),
                Item::Fn { name, .. } => (format!("fn {}", name.name), name.span),
                Item::Out { target, span, .. } => (out_name(*target), *span),
                Item::Tempo { span, .. } => {
                    tempos.push(*span);
                    continue;
                }
            };
            if let Some(prev) = first.get(&key) {
                let line = text[..prev.start.min(text.len())].matches('\n').count() + 1;
                errors.push(
                    Diagnostic::error(format!("`{key}` is defined twice"), span)
                        .with_label(format!("first defined on line {line}"))
                        .with_help(
                            "each bus, output and function is defined once; remove or rename one",
                        ),
                );
                continue;
            }
            first.insert(key, span);
            match item {
                Item::Bus {
                    name, body, init, ..
                } => {
                    buses.insert(
                        &name.name,
                        BusDef {
                            name,
                            body,
                            init: init.as_ref(),
                        },
                    );
                }
                Item::Fn {
                    name, params, body, ..
                } => {
                    if builtins::find(&name.name).is_some()
                        || CONSTANTS.contains(&name.name.as_str())
                    {
                        errors.push(
                            Diagnostic::error(
                                format!("`{}` is a builtin and cannot be redefined", name.name),
                                name.span,
                            )
                            .with_help("give your function another name"),
                        );
                        continue;
                    }
                    fns.insert(&name.name, FnDef { params, body });
                }
                _ => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut warnings = Vec::new();
        if let [first, .., last] = tempos[..] {
            let line = |s: Span| text[..s.start.min(text.len())].matches('\n').count() + 1;
            warnings.push(
                Diagnostic::warning(
                    format!(
                        "`tempo` is set {} times: the last one applies",
                        tempos.len()
                    ),
                    last,
                )
                .with_label(format!("this one; the first is on line {}", line(first)))
                .with_help("keep one `tempo:` line (Phonon also takes the last)"),
            );
        }
        Ok(Lowerer {
            text,
            b: Builder::new(sample_rate),
            buses,
            fns,
            component: HashMap::new(),
            values: HashMap::new(),
            history: HashMap::new(),
            errors,
            warnings,
            depth: 0,
            unrolled: 0,
            work: 0,
            pattern_buses: HashMap::new(),
            cps: (1, 1),
            tempo_override: None,
            samples: None,
            unknown_sounds: Default::default(),
        })
    }
}
