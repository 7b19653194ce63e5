//! Playing a pattern as a signal, where a signal is needed (an output, a bus, a builtin's
//! argument, arithmetic with a signal). One period of its events becomes a table
//! (`crate::tables`), and the block function reads it through a keyed cursor:
//!
//! - numbers and note names: a piecewise-constant signal, the value of the event covering
//!   the frame (of a stack, the one that started last; 0 where no event covers it). A
//!   note name is a pitch in hertz, as in Phonon (`a4` 440 Hz, `c4` middle C, a bare `c`
//!   is `c4`); a number is itself;
//! - controls with `s` (`s "bd*2" # gain 0.8`): sample voices started at each onset,
//!   mono at the sample's own level, or stereo (equal power) once any event sets `pan`;
//! - another control alone (`n "0 2"`, `note "c e"`): its values, piecewise constant;
//! - `trig "x ~ x x"`: 1 on the first frame of each event, 0 elsewhere; `gate "x ~"`: 1
//!   while an event covers the frame.
//!
//! The state: the clock (`tempo/clock#0.state`, one per program), and per pattern a
//! cursor keyed at the call site that played it (`~a/pattern#0.cursor`), per sampler its
//! cursor and voices keyed at its `s` (`~drums/s#0.voices`).

use super::patterns::{Pat, Val};
use super::{Lowerer, Scope, Value};
use crate::ir::{BufId, Clock, Op};
use crate::key::{Key, Path, Root};
use crate::rt::{clock, cursor, sampler};
use crate::tables::{self, TriggerRow, MAX_ROWS, S_SAMPLE};
use kanon_lang::ast::Expr;
use kanon_lang::{Diagnostic, Span};
use kanon_pattern::period::{self, EventTable, TableEvent};
use kanon_pattern::Value as PValue;
use kanon_samples::voice::{self, FLAG_MONO, FLAG_UNIT_CYCLES};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Voices each `s` keeps (the oldest is stolen, with a short fade, beyond that).
pub const VOICES: usize = voice::DEFAULT_VOICES;

/// What the events of a pattern carry, for playing it.
enum Kind {
    /// Numbers (note names as hertz).
    Numbers(EventTable<f64>),
    /// Sample voices.
    Sounds(EventTable<BTreeMap<String, PValue>>),
}

impl<'a> Lowerer<'a> {
    /// A value as a signal: a pattern is played (see the module doc), keyed at `e`.
    pub(super) fn signal_of(
        &mut self,
        v: Val,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        if let (kanon_lang::ast::ExprKind::Bus(name), Val::Pat(_) | Val::Func(_)) = (&e.kind, &v) {
            return self.bus_signal(name, e.span);
        }
        match v {
            Val::Sig(s) => Ok(s),
            Val::Func(_) => Err(Diagnostic::error(
                "this is a pattern function still waiting for its pattern",
                e.span,
            )
            .with_help("give it its pattern: `fast 2 \"bd sn\"` or `\"bd sn\" $ fast 2`")),
            Val::Pat(p) => {
                let site = super::sites::site(e)
                    .map(|(name, _)| sc.path.call(name, sc.numbering.of(e), 0))
                    .unwrap_or_else(|| sc.path.call("pattern", 0, 0));
                self.play(p, &site, e.span)
            }
        }
    }

    /// Plays a pattern as a signal keyed at `site`.
    pub(super) fn play(&mut self, pat: Pat, site: &Path, span: Span) -> Result<Value, Diagnostic> {
        match self.classify(&pat, span)? {
            Kind::Numbers(t) => {
                let table: Arc<[f64]> = tables::steps(&t).into();
                let v = self.step_signal(table, site, false)?;
                Ok(vec![v])
            }
            Kind::Sounds(t) => {
                let site = pat.origin.clone().unwrap_or_else(|| site.clone());
                self.sampler(&t, &site, span)
            }
        }
    }

    /// `trig pat` (1 on each onset frame) or `gate pat` (1 while an event covers the
    /// frame).
    pub(super) fn play_form(
        &mut self,
        name: &str,
        pat: Pat,
        e: &'a Expr,
        sc: &mut Scope<'a>,
    ) -> Result<Value, Diagnostic> {
        let site = sc.path.call(name, sc.numbering.of(e), 0);
        self.play_form_at(name, pat, &site, e.span).map(|v| vec![v])
    }

    /// `trig pat` or `gate pat` keyed at `site`.
    pub(super) fn play_form_at(
        &mut self,
        name: &str,
        pat: Pat,
        site: &Path,
        span: Span,
    ) -> Result<crate::ir::NodeId, Diagnostic> {
        let ones = pat.p.fmap(|_| 1.0f64);
        let t = period::table(&ones, MAX_ROWS).map_err(|err| table_error(err, span))?;
        self.step_signal(tables::steps(&t).into(), site, name == "trig")
    }

    fn step_signal(
        &mut self,
        table: Arc<[f64]>,
        site: &Path,
        trigger: bool,
    ) -> Result<crate::ir::NodeId, Diagnostic> {
        let span = Span::default();
        self.clock()?;
        let cur = self
            .b
            .store(Key::new(site, "cursor"), cursor::LEN)
            .map_err(|m| Diagnostic::error(m, span))?;
        let pat = self.b.pattern(table, cur);
        Ok(self.b.add(Op::Pattern { pat, trigger }))
    }

    /// The program's clock, made on first use.
    fn clock(&mut self) -> Result<BufId, Diagnostic> {
        if let Some(c) = self.b.program().clock {
            return Ok(c.state);
        }
        let site = Path::root(Root::Tempo).call("clock", 0, 0);
        let state = self
            .b
            .store(Key::new(&site, "state"), clock::LEN)
            .map_err(|m| Diagnostic::error(m, Span::default()))?;
        let cps = self.cps;
        self.b.program_mut().clock = Some(Clock { cps, state });
        Ok(state)
    }

    /// What the pattern's events carry, as a table of one period.
    fn classify(&mut self, pat: &Pat, span: Span) -> Result<Kind, Diagnostic> {
        let raw = period::table(&pat.p, MAX_ROWS).map_err(|e| table_error(e, span))?;
        let all = raw.events.iter().chain(raw.first_period.iter().flatten());
        let mut maps = 0;
        let mut sounds = false;
        let mut keys: Vec<String> = Vec::new();
        for ev in all.clone() {
            if let PValue::Map(m) = &ev.value {
                maps += 1;
                sounds |= m.contains_key("s");
                for k in m.keys() {
                    if !keys.iter().any(|x| **x == **k) {
                        keys.push(k.to_string());
                    }
                }
            }
        }
        if sounds {
            let map_row = |v: &PValue| -> BTreeMap<String, PValue> {
                match v {
                    PValue::Map(m) => m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect(),
                    _ => BTreeMap::new(),
                }
            };
            return Ok(Kind::Sounds(convert(&raw, map_row)));
        }
        if maps > 0 && keys.len() != 1 {
            return Err(Diagnostic::error(
                format!(
                    "this pattern sets the controls {} but no sound to play",
                    keys.join(", ")
                ),
                span,
            )
            .with_help("add the sound: `s \"bd sn\" # gain 0.8`"));
        }
        // Numbers, note names, or one control's values.
        let mut bad: Option<String> = None;
        let number = |v: &PValue, bad: &mut Option<String>| -> f64 {
            match v {
                PValue::Num(x) => *x,
                PValue::Word(w) => pitch_hz(w).unwrap_or_else(|| {
                    bad.get_or_insert_with(|| w.to_string());
                    0.0
                }),
                PValue::Map(m) => m.values().next().and_then(PValue::as_f64).unwrap_or(0.0),
            }
        };
        let table = convert(&raw, |v| number(v, &mut bad));
        if let Some(w) = bad {
            return Err(Diagnostic::error(
                format!("`{w}` is not a number or a note, so this pattern cannot be a signal"),
                span,
            )
            .with_help(format!("to play sounds, write `s \"…\"` (`s \"{w}\"`)")));
        }
        Ok(Kind::Numbers(table))
    }

    /// A sampler for `table`'s events, keyed at `site`.
    fn sampler(
        &mut self,
        table: &EventTable<BTreeMap<String, PValue>>,
        site: &Path,
        span: Span,
    ) -> Result<Value, Diagnostic> {
        let stereo = table
            .events
            .iter()
            .chain(table.first_period.iter().flatten())
            .any(|e| e.value.contains_key("pan"));
        let rows = convert(table, |m| self.trigger_row(m, !stereo, span));
        let triggers: Arc<[f64]> = tables::triggers(&rows).into();
        self.clock()?;
        let err = |m: String| Diagnostic::error(m, span);
        let cursor = self
            .b
            .store(Key::new(site, "cursor"), sampler::LEN)
            .map_err(err)?;
        let voices = self
            .b
            .store(Key::new(site, "voices"), voice::pool_len(VOICES))
            .map_err(err)?;
        let s = self.b.sampler(triggers, cursor, voices);
        let left = self.b.add(Op::Sample {
            sampler: s,
            channel: 0,
        });
        if stereo {
            let right = self.b.add(Op::Sample {
                sampler: s,
                channel: 1,
            });
            Ok(vec![left, right])
        } else {
            Ok(vec![left])
        }
    }

    /// One event's voice controls; an unknown sound is warned about once and plays
    /// nothing (sample −1).
    fn trigger_row(&mut self, m: &BTreeMap<String, PValue>, mono: bool, span: Span) -> TriggerRow {
        let num = |k: &str, default: f64| m.get(k).and_then(PValue::as_f64).unwrap_or(default);
        let mut row: TriggerRow = [0.0; tables::TRIGGER_ROW - 4];
        let col = |c: usize| c - 4;
        let name = match m.get("s") {
            Some(PValue::Word(w)) => w.to_string(),
            Some(PValue::Num(x)) => crate::fmt_num(*x),
            _ => String::new(),
        };
        row[col(S_SAMPLE)] = self.resolve(&name, num("n", 0.0), span);
        row[col(tables::S_SPEED)] = num("speed", 1.0);
        row[col(tables::S_NOTE)] = num("note", 0.0) + num("up", 0.0);
        row[col(tables::S_ACCELERATE)] = num("accelerate", 0.0);
        row[col(tables::S_GAIN)] = num("gain", 1.0) * num("amp", 1.0);
        row[col(tables::S_PAN)] = num("pan", 0.5);
        row[col(tables::S_BEGIN)] = num("begin", 0.0);
        row[col(tables::S_END)] = num("end", 1.0);
        row[col(tables::S_LEGATO)] = num("legato", 0.0);
        row[col(tables::S_CUT)] = num("cut", 0.0);
        row[col(tables::S_SHAPE)] = num("shape", 0.0);
        row[col(tables::S_ATTACK)] = num("attack", 0.0);
        row[col(tables::S_RELEASE)] = num("release", 0.0);
        row[col(tables::S_SUSTAIN)] = num("sustain", 0.0);
        let unit_c = matches!(m.get("unit"), Some(PValue::Word(w)) if &**w == "c");
        row[col(tables::S_FLAGS)] =
            f64::from(if mono { FLAG_MONO } else { 0 } | if unit_c { FLAG_UNIT_CYCLES } else { 0 });
        row
    }

    /// The sample id of `name:n`, or −1 (with a warning, once per name) when there is no
    /// such sound.
    fn resolve(&mut self, name: &str, n: f64, span: Span) -> f64 {
        let Some(lib) = self.samples else {
            return -1.0;
        };
        match lib.resolve(name, n.trunc() as i64) {
            Ok(id) => f64::from(id.0),
            Err(w) => {
                if self.unknown_sounds.insert(name.to_string()) {
                    self.warnings.push(
                        Diagnostic::warning(format!("{w}"), span)
                            .with_help("`kanonc samples` lists the sounds there are; the rest of the pattern plays"),
                    );
                }
                -1.0
            }
        }
    }
}

/// The same table with each value converted.
fn convert<T, U>(t: &EventTable<T>, mut f: impl FnMut(&T) -> U) -> EventTable<U> {
    let mut conv = |evs: &[TableEvent<T>]| -> Vec<TableEvent<U>> {
        evs.iter()
            .map(|e| TableEvent {
                begin: e.begin,
                end: e.end,
                value: f(&e.value),
            })
            .collect()
    };
    EventTable {
        period: t.period,
        events: conv(&t.events),
        first_period: t.first_period.as_deref().map(conv),
    }
}

fn table_error(e: period::TableError, span: Span) -> Diagnostic {
    Diagnostic::error(format!("this pattern cannot be played: {e}"), span).with_help(
        "kanonc plays a pattern from one period of its events, computed when the program compiles",
    )
}

/// A note name as a pitch in hertz (`a4` = 440, `c4` = middle C, `cs5`, `ef3`, a bare
/// `c` is `c4`), as Phonon reads note names in a signal.
pub fn pitch_hz(word: &str) -> Option<f64> {
    let b = word.as_bytes();
    let base: i64 = match *b.first()? {
        b'c' => 0,
        b'd' => 2,
        b'e' => 4,
        b'f' => 5,
        b'g' => 7,
        b'a' => 9,
        b'b' => 11,
        _ => return None,
    };
    let mut i = 1;
    let mut n = base;
    while i < b.len() {
        match b[i] {
            b's' | b'#' => n += 1,
            b'f' => n -= 1,
            b'n' => {}
            _ => break,
        }
        i += 1;
    }
    let octave: i64 = if i == b.len() {
        4
    } else {
        let digits = &word[i..];
        if digits.len() > 2 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()?
    };
    let midi = 12 * (octave + 1) + n;
    Some(440.0 * 2f64.powf((midi - 69) as f64 / 12.0))
}
