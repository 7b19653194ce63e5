//! The function table: every pattern function by name, with its parameters, a one-line
//! summary and an example with its events. The kanon compiler applies functions through
//! it, `docs/patterns.md` is generated from it, and a test runs every example, so adding a
//! function is one entry here and one test.

use std::sync::Arc;

use crate::core::{fastcat, slowcat, stack, Pattern};
use crate::ops::{combine, conditional as cond, controls, signals, structure, timing, Func};
use crate::value::Value;

/// What a parameter takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Param {
    /// A pattern of any values (the pattern being transformed, or values).
    Pattern,
    /// A pattern of times in cycles (`fast "<1 2>"`).
    Time,
    /// A pattern of numbers.
    Number,
    /// A pattern of whole numbers.
    Int,
    /// A function from pattern to pattern (`every 2 (fast 2)`).
    Function,
    /// A list of patterns (`stack ["bd", "hh*2"]`).
    List,
}

impl Param {
    /// How the parameter reads in docs.
    pub fn describe(self) -> &'static str {
        match self {
            Param::Pattern => "pattern",
            Param::Time => "pattern of times",
            Param::Number => "pattern of numbers",
            Param::Int => "pattern of whole numbers",
            Param::Function => "function",
            Param::List => "list of patterns",
        }
    }
}

/// An argument given to a function.
#[derive(Clone)]
pub enum Arg {
    /// A pattern (for `Pattern`, `Time`, `Number` and `Int` parameters).
    Pattern(Pattern<Value>),
    /// A function (for `Function` parameters).
    Function(Func),
    /// A list of patterns (for `List` parameters).
    List(Vec<Pattern<Value>>),
}

impl Arg {
    fn pat(&self) -> Pattern<Value> {
        match self {
            Arg::Pattern(p) => p.clone(),
            _ => Pattern::silence(),
        }
    }
    fn func(&self) -> Func {
        match self {
            Arg::Function(f) => f.clone(),
            _ => Arc::new(|p: &Pattern<Value>| p.clone()),
        }
    }
    fn list(&self) -> Vec<Pattern<Value>> {
        match self {
            Arg::List(l) => l.clone(),
            _ => Vec::new(),
        }
    }
    fn kind_fits(&self, p: Param) -> bool {
        matches!(
            (self, p),
            (Arg::Function(_), Param::Function)
                | (Arg::List(_), Param::List)
                | (
                    Arg::Pattern(_),
                    Param::Pattern | Param::Time | Param::Number | Param::Int
                )
        )
    }
}

/// One pattern function.
pub struct Function {
    /// Its name as written (`fast`, `every'`).
    pub name: &'static str,
    /// Its parameters, named, in Tidal's order.
    pub params: &'static [(&'static str, Param)],
    /// What it does, in one line.
    pub summary: &'static str,
    /// An example expression (`expr.rs` syntax).
    pub example: &'static str,
    /// The cycles the example's events cover (`A..B`).
    pub cycles: &'static str,
    /// The example's events, one `BEGIN END VALUE` line each.
    pub events: &'static str,
    /// A parameter a call may leave out, and the number it then takes: a call that writes
    /// exactly the arguments before it (the pattern piped or still to come) gets it there
    /// (Phonon's `groove "mpc"`, amount 1).
    pub optional: Option<(usize, f64)>,
    apply: fn(&[Arg]) -> Pattern<Value>,
}

impl Function {
    /// Applies the function to exactly as many arguments as it has parameters.
    pub fn apply(&self, args: &[Arg]) -> Result<Pattern<Value>, String> {
        if args.len() != self.params.len() {
            return Err(format!(
                "`{}` takes {} arguments, not {}",
                self.name,
                self.params.len(),
                args.len()
            ));
        }
        for (i, (a, (pname, kind))) in args.iter().zip(self.params).enumerate() {
            if !a.kind_fits(*kind) {
                return Err(format!(
                    "argument {} of `{}` ({pname}) must be a {}",
                    i + 1,
                    self.name,
                    kind.describe()
                ));
            }
        }
        Ok((self.apply)(args))
    }
}

use Param::{Function as F, Int as I, List as L, Number as N, Pattern as P, Time as T};

macro_rules! f {
    ($name:expr, [$($pn:expr => $pk:expr),*], $summary:expr, $example:expr, $cycles:expr, $events:expr, $apply:expr) => {
        Function { name: $name, params: &[$(($pn, $pk)),*], summary: $summary, example: $example, cycles: $cycles, events: $events, optional: None, apply: $apply }
    };
    ($name:expr, [$($pn:expr => $pk:expr),*], $summary:expr, $example:expr, $cycles:expr, $events:expr, $apply:expr, optional $at:expr => $default:expr) => {
        Function { name: $name, params: &[$(($pn, $pk)),*], summary: $summary, example: $example, cycles: $cycles, events: $events, optional: Some(($at, $default)), apply: $apply }
    };
}

fn num(x: f64) -> Pattern<Value> {
    Pattern::pure(Value::Num(x))
}

/// Every function, in the order the docs list them.
pub fn table() -> &'static [Function] {
    TABLE
}

/// The function called `name`, if there is one (controls such as `gain` included via
/// [`apply`]).
pub fn lookup(name: &str) -> Option<&'static Function> {
    TABLE.iter().find(|f| f.name == name)
}

/// True when `name` is a control (`s`, `gain`, …), a function of one pattern.
pub fn is_control(name: &str) -> bool {
    controls::NAMES.contains(&name)
}

/// Applies the function or control called `name` to `args`.
pub fn apply(name: &str, args: &[Arg]) -> Result<Pattern<Value>, String> {
    if let Some(f) = lookup(name) {
        return f.apply(args);
    }
    if is_control(name) {
        return match args {
            [Arg::Pattern(p)] => Ok(controls::control(name, p)),
            _ => Err(format!("the control `{name}` takes one pattern")),
        };
    }
    Err(format!("there is no pattern function called `{name}`"))
}

/// How many parameters the function or control `name` has.
pub fn arity(name: &str) -> Option<usize> {
    lookup(name)
        .map(|f| f.params.len())
        .or(is_control(name).then_some(1))
}

/// The parameter kinds of the function or control `name`.
pub fn params(name: &str) -> Option<Vec<Param>> {
    lookup(name)
        .map(|f| f.params.iter().map(|(_, k)| *k).collect())
        .or(is_control(name).then(|| vec![P]))
}

static TABLE: &[Function] = &[
    f!("fast", ["factor" => T, "pattern" => P], "Speeds the pattern up by a factor (patterned: `fast \"<1 2>\"`).",
        r#"fast 2 "bd sn""#, "0..1", "0 1/4 bd\n1/4 1/2 sn\n1/2 3/4 bd\n3/4 1 sn\n", |a| timing::fast(&a[0].pat(), &a[1].pat())),
    f!("slow", ["factor" => T, "pattern" => P], "Slows the pattern down by a factor.",
        r#"slow 2 "bd sn hh cp""#, "0..2", "0 1/2 bd\n1/2 1 sn\n1 3/2 hh\n3/2 2 cp\n", |a| timing::slow(&a[0].pat(), &a[1].pat())),
    f!("hurry", ["factor" => T, "pattern" => P], "`fast`, and multiplies the `speed` control by the same factor.",
        r#"hurry 2 (s "bd sn")"#, "0..1", "0 1/4 s=bd speed=2\n1/4 1/2 s=sn speed=2\n1/2 3/4 s=bd speed=2\n3/4 1 s=sn speed=2\n", |a| timing::hurry(&a[0].pat(), &a[1].pat())),
    f!("rev", ["pattern" => P], "Reverses each cycle.",
        r#"rev "bd sn hh""#, "0..1", "0 1/3 hh\n1/3 2/3 sn\n2/3 1 bd\n", |a| timing::rev(&a[0].pat())),
    f!("early", ["time" => T, "pattern" => P], "Shifts the pattern earlier by a time in cycles (also `t <~ p`).",
        r#"early 0.25 "bd sn hh cp""#, "0..1", "0 1/4 sn\n1/4 1/2 hh\n1/2 3/4 cp\n3/4 1 bd\n", |a| timing::early(&a[0].pat(), &a[1].pat())),
    f!("late", ["time" => T, "pattern" => P], "Shifts the pattern later by a time in cycles (also `t ~> p`).",
        r#"late 0.25 "bd sn hh cp""#, "0..1", "0 1/4 cp\n1/4 1/2 bd\n1/2 3/4 sn\n3/4 1 hh\n", |a| timing::late(&a[0].pat(), &a[1].pat())),
    f!("every", ["n" => I, "function" => F, "pattern" => P], "Applies the function every n-th cycle, from cycle 0.",
        r#"every 2 (fast 2) "bd sn""#, "0..2", "0 1/4 bd\n1/4 1/2 sn\n1/2 3/4 bd\n3/4 1 sn\n1 3/2 bd\n3/2 2 sn\n", |a| cond::every(&a[0].pat(), &a[1].func(), &a[2].pat())),
    f!("every'", ["n" => I, "offset" => I, "function" => F, "pattern" => P], "Applies the function in cycles whose number mod n is the offset.",
        r#"every' 3 1 (fast 2) "bd sn""#, "0..3", "0 1/2 bd\n1/2 1 sn\n1 5/4 bd\n5/4 3/2 sn\n3/2 7/4 bd\n7/4 2 sn\n2 5/2 bd\n5/2 3 sn\n", |a| cond::every_offset(&a[0].pat(), &a[1].pat(), &a[2].func(), &a[3].pat())),
    f!("whenmod", ["a" => T, "b" => T, "function" => F, "pattern" => P], "Applies the function when the cycle mod a is at least b.",
        r#"whenmod 4 2 rev "bd sn""#, "0..4", "0 1/2 bd\n1/2 1 sn\n1 3/2 bd\n3/2 2 sn\n2 5/2 sn\n5/2 3 bd\n3 7/2 sn\n7/2 4 bd\n", |a| cond::whenmod(&a[0].pat(), &a[1].pat(), &a[2].func(), &a[3].pat())),
    f!("iter", ["n" => I, "pattern" => P], "Starts each cycle 1/n further into the pattern than the last.",
        r#"iter 4 "bd hh sn cp""#, "0..2", "0 1/4 bd\n1/4 1/2 hh\n1/2 3/4 sn\n3/4 1 cp\n1 5/4 hh\n5/4 3/2 sn\n3/2 7/4 cp\n7/4 2 bd\n", |a| timing::iter(&a[0].pat(), &a[1].pat())),
    f!("iter'", ["n" => I, "pattern" => P], "As `iter`, in the other direction.",
        r#"iter' 4 "bd hh sn cp""#, "0..2", "0 1/4 bd\n1/4 1/2 hh\n1/2 3/4 sn\n3/4 1 cp\n1 5/4 cp\n5/4 3/2 bd\n3/2 7/4 hh\n7/4 2 sn\n", |a| timing::iter_back(&a[0].pat(), &a[1].pat())),
    f!("palindrome", ["pattern" => P], "Plays the pattern forwards, then backwards, in alternate cycles.",
        r#"palindrome "bd sn hh""#, "0..2", "0 1/3 bd\n1/3 2/3 sn\n2/3 1 hh\n1 4/3 hh\n4/3 5/3 sn\n5/3 2 bd\n", |a| timing::palindrome(&a[0].pat())),
    f!("chunk", ["n" => I, "function" => F, "pattern" => P], "Applies the function to one n-th of the cycle, a later one each cycle (negative n: backwards).",
        r#"chunk 4 (hurry 2) (s "bd sn hh cp")"#, "0..2", "0 1/8 s=bd speed=2\n1/8 1/4 s=sn speed=2\n1/4 1/2 s=sn\n1/2 3/4 s=hh\n3/4 1 s=cp\n1 5/4 s=bd\n5/4 11/8 s=hh speed=2\n11/8 3/2 s=cp speed=2\n3/2 7/4 s=hh\n7/4 2 s=cp\n", |a| cond::chunk(&a[0].pat(), &a[1].func(), &a[2].pat())),
    f!("chunk'", ["n" => I, "function" => F, "pattern" => P], "As `chunk`, cycling through the parts backwards.",
        r#"chunk' 4 (# speed 2) (s "bd sn hh cp")"#, "0..2", "0 1/4 s=bd\n1/4 1/2 s=sn\n1/2 3/4 s=hh\n3/4 1 s=cp speed=2\n1 5/4 s=bd\n5/4 3/2 s=sn\n3/2 7/4 s=hh speed=2\n7/4 2 s=cp\n", |a| cond::chunk_back(&a[0].pat(), &a[1].func(), &a[2].pat())),
    f!("inside", ["n" => T, "function" => F, "pattern" => P], "Applies the function inside each 1/n of a cycle (`fast n $ f $ slow n p`).",
        r#"inside 2 rev "0 1 2 3 4 5 6 7""#, "0..1", "0 1/8 3\n1/8 1/4 2\n1/4 3/8 1\n3/8 1/2 0\n1/2 5/8 7\n5/8 3/4 6\n3/4 7/8 5\n7/8 1 4\n", |a| timing::inside(&a[0].pat(), &a[1].func(), &a[2].pat())),
    f!("superimpose", ["function" => F, "pattern" => P], "Plays the pattern with the function's version of it on top.",
        r#"superimpose (fast 2) "bd sn""#, "0..1", "0 1/4 bd\n0 1/2 bd\n1/4 1/2 sn\n1/2 3/4 bd\n1/2 1 sn\n3/4 1 sn\n", |a| cond::superimpose(&a[0].func(), &a[1].pat())),
    f!("off", ["time" => T, "function" => F, "pattern" => P], "Superimposes the function's version of the pattern, shifted later by a time.",
        r#"off 0.25 (+ 12) "0 7""#, "0..1", "0 1/4 19\n0 1/2 0\n1/4 3/4 12\n1/2 1 7\n3/4 1 19\n", |a| cond::off(&a[0].pat(), &a[1].func(), &a[2].pat())),
    f!("ply", ["n" => T, "pattern" => P], "Repeats each event n times within its own span.",
        r#"ply 2 "bd ~ sn""#, "0..1", "0 1/6 bd\n1/6 1/3 bd\n2/3 5/6 sn\n5/6 1 sn\n", |a| timing::ply(&a[0].pat(), &a[1].pat())),
    f!("scramble", ["n" => I, "pattern" => P], "Each n-th of the cycle plays a random one of the cycle's n parts (Tidal's random numbers).",
        r#"scramble 4 "a b c d""#, "0..1", "0 1/4 c\n1/4 1/2 c\n1/2 3/4 b\n3/4 1 a\n", |a| timing::scramble(&a[0].pat(), &a[1].pat())),
    f!("segment", ["n" => T, "pattern" => P], "Samples the pattern n times per cycle, giving discrete events.",
        r#"segment 4 (range 1 5 saw)"#, "0..1", "0 1/4 1\n1/4 1/2 2\n1/2 3/4 3\n3/4 1 4\n", |a| timing::segment(&a[0].pat(), &a[1].pat())),
    f!("linger", ["fraction" => T, "pattern" => P], "Repeats the first fraction of each cycle to fill it (negative: the last).",
        r#"linger 0.25 "0 1 2 3 4 5 6 7""#, "0..1", "0 1/8 0\n1/8 1/4 1\n1/4 3/8 0\n3/8 1/2 1\n1/2 5/8 0\n5/8 3/4 1\n3/4 7/8 0\n7/8 1 1\n", |a| timing::linger(&a[0].pat(), &a[1].pat())),
    f!("swingBy", ["amount" => T, "n" => T, "pattern" => P], "Delays the second half of each 1/n of a cycle by an amount (of a cycle).",
        r#"swingBy (1/3) 4 "hh*8""#, "0..1", "0 1/8 hh\n5/24 1/3 hh\n1/4 3/8 hh\n11/24 7/12 hh\n1/2 5/8 hh\n17/24 5/6 hh\n3/4 7/8 hh\n23/24 13/12 hh\n", |a| timing::swing_by(&a[0].pat(), &a[1].pat(), &a[2].pat())),
    f!("swing", ["n" => T, "pattern" => P], "`swingBy (1/3) n` (Tidal's); a fraction (-1 < n < 1) is Phonon's `swing amount`: each cycle's second, fourth, … event (by onset) n cycles later.",
        r#"swing 4 "hh*8""#, "0..1", "0 1/8 hh\n5/24 1/3 hh\n1/4 3/8 hh\n11/24 7/12 hh\n1/2 5/8 hh\n17/24 5/6 hh\n3/4 7/8 hh\n23/24 13/12 hh\n", |a| timing::swing(&a[0].pat(), &a[1].pat())),
    f!("groove", ["preset" => P, "amount" => N, "pattern" => P], "Phonon's groove templates (`mpc`, `hiphop`, `reggae`, `jazz`, `drunken`): each event moved by its grid step's delay times the amount (read at each cycle's start).",
        r#"groove "jazz" 1 "hh*8""#, "0..1", "0 1/8 hh\n3/16 5/16 hh\n1/4 3/8 hh\n7/16 9/16 hh\n1/2 5/8 hh\n11/16 13/16 hh\n3/4 7/8 hh\n15/16 17/16 hh\n", |a| timing::groove(&a[0].pat(), &a[1].pat(), &a[2].pat()), optional 1 => 1.0),
    f!("struct", ["structure" => P, "pattern" => P], "The pattern's values on the structure's true (`t`, `1`) events.",
        r#"struct "t ~ t t" "bd""#, "0..1", "0 1/4 bd\n1/2 3/4 bd\n3/4 1 bd\n", |a| structure::struct_(&a[0].pat(), &a[1].pat())),
    f!("stitch", ["booleans" => P, "a" => P, "b" => P], "`a` on the true events of the booleans, `b` on the false ones.",
        r#"stitch "t f t t" "bd" "hh""#, "0..1", "0 1/4 bd\n1/4 1/2 hh\n1/2 3/4 bd\n3/4 1 bd\n", |a| structure::stitch(&a[0].pat(), &a[1].pat(), &a[2].pat())),
    f!("mask", ["mask" => P, "pattern" => P], "Keeps the pattern only where the mask is true (`1`, `t`); structure from the pattern.",
        r#"mask "1 0 1 1" "bd*8""#, "0..1", "0 1/8 bd\n1/8 1/4 bd\n1/2 5/8 bd\n5/8 3/4 bd\n3/4 7/8 bd\n7/8 1 bd\n", |a| structure::mask(&a[0].pat(), &a[1].pat())),
    f!("euclid", ["pulses" => I, "steps" => I, "pattern" => P], "Plays the pattern on a Euclidean rhythm (Bjorklund), as `p(k,n)`.",
        r#"euclid 3 8 "bd""#, "0..1", "0 1/8 bd\n3/8 1/2 bd\n3/4 7/8 bd\n", |a| structure::euclid(&a[0].pat(), &a[1].pat(), &a[2].pat())),
    f!("euclidOff", ["pulses" => I, "steps" => I, "rotation" => I, "pattern" => P], "A Euclidean rhythm rotated left by a number of steps, as `p(k,n,r)`.",
        r#"euclidOff 3 8 2 "bd""#, "0..1", "1/8 1/4 bd\n1/2 5/8 bd\n3/4 7/8 bd\n", |a| structure::euclid_off(&a[0].pat(), &a[1].pat(), &a[2].pat(), &a[3].pat())),
    f!("eoff", ["pulses" => I, "steps" => I, "rotation" => I, "pattern" => P], "Alias of `euclidOff`.",
        r#"eoff 3 8 2 "bd""#, "0..1", "1/8 1/4 bd\n1/2 5/8 bd\n3/4 7/8 bd\n", |a| structure::euclid_off(&a[0].pat(), &a[1].pat(), &a[2].pat(), &a[3].pat())),
    f!("euclidInv", ["pulses" => I, "steps" => I, "pattern" => P], "Plays the pattern on the rests of a Euclidean rhythm.",
        r#"euclidInv 3 8 "bd""#, "0..1", "1/8 1/4 bd\n1/4 3/8 bd\n1/2 5/8 bd\n5/8 3/4 bd\n7/8 1 bd\n", |a| structure::euclid_inv(&a[0].pat(), &a[1].pat(), &a[2].pat())),
    f!("euclidFull", ["pulses" => I, "steps" => I, "pattern" => P, "rests" => P], "One pattern on the pulses and another on the rests.",
        r#"euclidFull 3 8 "bd" "hh""#, "0..1", "0 1/8 bd\n1/8 1/4 hh\n1/4 3/8 hh\n3/8 1/2 bd\n1/2 5/8 hh\n5/8 3/4 hh\n3/4 7/8 bd\n7/8 1 hh\n", |a| structure::euclid_full(&a[0].pat(), &a[1].pat(), &a[2].pat(), &a[3].pat())),
    f!("degradeBy", ["probability" => N, "pattern" => P], "Removes each event with a probability (Tidal's random numbers).",
        r#"degradeBy 0.5 "bd*8""#, "0..1", "0 1/8 bd\n1/4 3/8 bd\n3/8 1/2 bd\n", |a| cond::degrade_by_(&a[0].pat(), &a[1].pat())),
    f!("unDegradeBy", ["probability" => N, "pattern" => P], "Keeps exactly the events `degradeBy` with the same probability removes.",
        r#"unDegradeBy 0.5 "bd*8""#, "0..1", "1/8 1/4 bd\n1/2 5/8 bd\n5/8 3/4 bd\n3/4 7/8 bd\n7/8 1 bd\n", |a| cond::undegrade_by_(&a[0].pat(), &a[1].pat())),
    f!("degrade", ["pattern" => P], "`degradeBy 0.5`.",
        r#"degrade "bd*8""#, "0..1", "0 1/8 bd\n1/4 3/8 bd\n3/8 1/2 bd\n", |a| cond::degrade_by_(&num(0.5), &a[0].pat())),
    f!("sometimesBy", ["probability" => N, "function" => F, "pattern" => P], "Applies the function to each event with a probability.",
        r#"sometimesBy 0.5 (# speed 2) (s "bd*8")"#, "0..1", "0 1/8 s=bd\n1/8 1/4 s=bd speed=2\n1/4 3/8 s=bd\n3/8 1/2 s=bd\n1/2 5/8 s=bd speed=2\n5/8 3/4 s=bd speed=2\n3/4 7/8 s=bd speed=2\n7/8 1 s=bd speed=2\n", |a| cond::sometimes_by_(&a[0].pat(), &a[1].func(), &a[2].pat())),
    f!("sometimes", ["function" => F, "pattern" => P], "`sometimesBy 0.5`.",
        r#"sometimes (# speed 2) (s "bd*8")"#, "0..1", "0 1/8 s=bd\n1/8 1/4 s=bd speed=2\n1/4 3/8 s=bd\n3/8 1/2 s=bd\n1/2 5/8 s=bd speed=2\n5/8 3/4 s=bd speed=2\n3/4 7/8 s=bd speed=2\n7/8 1 s=bd speed=2\n", |a| cond::sometimes_by_(&num(0.5), &a[0].func(), &a[1].pat())),
    f!("often", ["function" => F, "pattern" => P], "`sometimesBy 0.75`.",
        r#"often (# speed 2) (s "bd*8")"#, "0..1", "0 1/8 s=bd speed=2\n1/8 1/4 s=bd speed=2\n1/4 3/8 s=bd speed=2\n3/8 1/2 s=bd speed=2\n1/2 5/8 s=bd speed=2\n5/8 3/4 s=bd speed=2\n3/4 7/8 s=bd speed=2\n7/8 1 s=bd speed=2\n", |a| cond::sometimes_by_(&num(0.75), &a[0].func(), &a[1].pat())),
    f!("rarely", ["function" => F, "pattern" => P], "`sometimesBy 0.25`.",
        r#"rarely (# speed 2) (s "bd*8")"#, "0..1", "0 1/8 s=bd\n1/8 1/4 s=bd\n1/4 3/8 s=bd\n3/8 1/2 s=bd\n1/2 5/8 s=bd\n5/8 3/4 s=bd speed=2\n3/4 7/8 s=bd speed=2\n7/8 1 s=bd\n", |a| cond::sometimes_by_(&num(0.25), &a[0].func(), &a[1].pat())),
    f!("almostNever", ["function" => F, "pattern" => P], "`sometimesBy 0.1`.",
        r#"almostNever (# speed 2) (s "bd*8")"#, "0..1", "0 1/8 s=bd\n1/8 1/4 s=bd\n1/4 3/8 s=bd\n3/8 1/2 s=bd\n1/2 5/8 s=bd\n5/8 3/4 s=bd\n3/4 7/8 s=bd\n7/8 1 s=bd\n", |a| cond::sometimes_by_(&num(0.1), &a[0].func(), &a[1].pat())),
    f!("almostAlways", ["function" => F, "pattern" => P], "`sometimesBy 0.9`.",
        r#"almostAlways (# speed 2) (s "bd*8")"#, "0..1", "0 1/8 s=bd speed=2\n1/8 1/4 s=bd speed=2\n1/4 3/8 s=bd speed=2\n3/8 1/2 s=bd speed=2\n1/2 5/8 s=bd speed=2\n5/8 3/4 s=bd speed=2\n3/4 7/8 s=bd speed=2\n7/8 1 s=bd speed=2\n", |a| cond::sometimes_by_(&num(0.9), &a[0].func(), &a[1].pat())),
    f!("always", ["function" => F, "pattern" => P], "Applies the function (`sometimesBy 1`).",
        r#"always (fast 2) "bd sn""#, "0..1", "0 1/4 bd\n1/4 1/2 sn\n1/2 3/4 bd\n3/4 1 sn\n", |a| a[0].func()(&a[1].pat())),
    f!("never", ["function" => F, "pattern" => P], "Leaves the pattern as it is (`sometimesBy 0`).",
        r#"never (fast 2) "bd sn""#, "0..1", "0 1/2 bd\n1/2 1 sn\n", |a| a[1].pat()),
    f!("somecyclesBy", ["probability" => N, "function" => F, "pattern" => P], "Applies the function to whole cycles with a probability.",
        r#"somecyclesBy 0.5 (fast 2) "bd sn""#, "0..3", "0 1/2 bd\n1/2 1 sn\n1 3/2 bd\n3/2 2 sn\n2 9/4 bd\n9/4 5/2 sn\n5/2 11/4 bd\n11/4 3 sn\n", |a| cond::somecycles_by_(&a[0].pat(), &a[1].func(), &a[2].pat())),
    f!("somecycles", ["function" => F, "pattern" => P], "`somecyclesBy 0.5`.",
        r#"somecycles (fast 2) "bd sn""#, "0..3", "0 1/2 bd\n1/2 1 sn\n1 3/2 bd\n3/2 2 sn\n2 9/4 bd\n9/4 5/2 sn\n5/2 11/4 bd\n11/4 3 sn\n", |a| cond::somecycles_by_(&num(0.5), &a[0].func(), &a[1].pat())),
    f!("jux", ["function" => F, "pattern" => P], "The pattern panned left, the function's version panned right.",
        r#"jux rev (s "bd sn")"#, "0..1", "0 1/2 pan=0 s=bd\n0 1/2 pan=1 s=sn\n1/2 1 pan=0 s=sn\n1/2 1 pan=1 s=bd\n", |a| controls::jux(&a[0].func(), &a[1].pat())),
    f!("juxBy", ["width" => N, "function" => F, "pattern" => P], "As `jux`, panned apart by a width (1 = hard left and right).",
        r#"juxBy 0.5 (fast 2) (s "bd")"#, "0..1", "0 1/2 pan=0.75 s=bd\n0 1 pan=0.25 s=bd\n1/2 1 pan=0.75 s=bd\n", |a| controls::jux_by(&a[0].pat(), &a[1].func(), &a[2].pat())),
    f!("chop", ["n" => I, "pattern" => P], "Cuts each event into n parts, each playing the next part of its sample (`begin`/`end`).",
        r#"chop 2 (s "break")"#, "0..1", "0 1/2 begin=0 end=0.5 s=break\n1/2 1 begin=0.5 end=1 s=break\n", |a| controls::chop(&a[0].pat(), &a[1].pat())),
    f!("striate", ["n" => I, "pattern" => P], "Plays the pattern n times per cycle, the i-th time the i-th part of each sample.",
        r#"striate 2 (s "bd sn")"#, "0..1", "0 1/4 begin=0 end=0.5 s=bd\n1/4 1/2 begin=0 end=0.5 s=sn\n1/2 3/4 begin=0.5 end=1 s=bd\n3/4 1 begin=0.5 end=1 s=sn\n", |a| controls::striate(&a[0].pat(), &a[1].pat())),
    f!("slice", ["n" => I, "index" => I, "pattern" => P], "Plays part i (mod n) of n equal parts of each sample, i from the index pattern (its structure).",
        r#"slice 4 "3 0" (s "bev")"#, "0..1", "0 1/2 begin=0.75 end=1 s=bev\n1/2 1 begin=0 end=0.25 s=bev\n", |a| controls::slice(&a[0].pat(), &a[1].pat(), &a[2].pat())),
    f!("splice", ["n" => I, "index" => I, "pattern" => P], "`slice`, each part's speed set so that it fills its event (`unit \"c\"`).",
        r#"splice 4 "0 [2 3]" (s "bev")"#, "0..1", "0 1/2 begin=0 end=0.25 s=bev speed=0.5 unit=c\n1/2 3/4 begin=0.5 end=0.75 s=bev speed=1 unit=c\n3/4 1 begin=0.75 end=1 s=bev speed=1 unit=c\n", |a| controls::splice(&a[0].pat(), &a[1].pat(), &a[2].pat())),
    f!("loopAt", ["n" => T, "pattern" => P], "Stretches the pattern and its samples over n cycles (`slow n`, `speed` / n, `unit \"c\"`).",
        r#"loopAt 2 (chop 2 (s "break"))"#, "0..2", "0 1 begin=0 end=0.5 s=break speed=0.5 unit=c\n1 2 begin=0.5 end=1 s=break speed=0.5 unit=c\n", |a| controls::loop_at(&a[0].pat(), &a[1].pat())),
    f!("stut", ["count" => I, "feedback" => N, "time" => T, "pattern" => P], "Echoes: count copies a time apart, gain falling toward the feedback.",
        r#"stut 3 0.5 0.125 (s "bd")"#, "0..1", "0 1 s=bd\n1/8 9/8 gain=0.8333333333333333 s=bd\n1/4 5/4 gain=0.6666666666666666 s=bd\n", |a| controls::stut(&a[0].pat(), &a[1].pat(), &a[2].pat(), &a[3].pat())),
    f!("echo", ["count" => I, "time" => T, "feedback" => N, "pattern" => P], "Echoes: count copies a time apart, each feedback times the gain of the last.",
        r#"echo 3 0.2 0.5 (s "bd")"#, "0..1", "0 1 s=bd\n1/5 6/5 gain=0.5 s=bd\n2/5 7/5 gain=0.25 s=bd\n", |a| controls::echo(&a[0].pat(), &a[1].pat(), &a[2].pat(), &a[3].pat())),
    f!("range", ["low" => N, "high" => N, "pattern" => P], "Scales a pattern of values from 0 to 1 to run from low to high.",
        r#"segment 4 (range 1 5 saw)"#, "0..1", "0 1/4 1\n1/4 1/2 2\n1/2 3/4 3\n3/4 1 4\n", |a| structure::range(&a[0].pat(), &a[1].pat(), &a[2].pat())),
    f!("scale", ["name" => P, "pattern" => P], "Degrees of a named scale to semitones, octaves past its length (Tidal's `scale`; also on `n`/`note` controls, as Phonon's `# scale`).",
        r#"scale "minor" "0 2 4 7 -1""#, "0..1", "0 1/5 0\n1/5 2/5 3\n2/5 3/5 7\n3/5 4/5 12\n4/5 1 -2\n", |a| structure::scale(&a[0].pat(), &a[1].pat())),
    f!("chord", ["name" => P, "pattern" => P], "Each value as the root of the named chord (Tidal's chord table), its notes at once (Phonon's `n \"0 5\" # chord \"maj\"`; alone, `chord \"maj\"` is on 0, as Tidal's).",
        r#"chord "<maj min7>" "0 5""#, "0..2", "0 1/2 0\n0 1/2 4\n0 1/2 7\n1/2 1 5\n1/2 1 9\n1/2 1 12\n1 3/2 0\n1 3/2 3\n1 3/2 7\n1 3/2 10\n3/2 2 5\n3/2 2 8\n3/2 2 12\n3/2 2 15\n", |a| structure::chord(&a[0].pat(), &a[1].pat())),
    f!("run", ["n" => N], "The numbers 0 to n-1 in one cycle.",
        r#"run 4"#, "0..1", "0 1/4 0\n1/4 1/2 1\n1/2 3/4 2\n3/4 1 3\n", |a| structure::run(&a[0].pat())),
    f!("irand", ["n" => N], "Random whole numbers from 0 to n-1 (continuous: sample it with `segment`).",
        r#"segment 4 (irand 8)"#, "0..1", "0 1/4 4\n1/4 1/2 5\n1/2 3/4 2\n3/4 1 1\n", |a| structure::irand(&a[0].pat())),
    f!(
        "rand",
        [],
        "Random numbers from 0 to 1 (continuous), Tidal's generator.",
        r#"segment 4 rand"#,
        "0..1",
        "0 1/4 0.5\n1/4 1/2 0.6295689214020967\n1/2 3/4 0.2591378428041935\n3/4 1 0.20052618719637394\n",
        |_| structure::rand()
    ),
    f!("stack", ["patterns" => L], "Plays the patterns at once.",
        r#"stack ["bd sn", "hh*3"]"#, "0..1", "0 1/3 hh\n0 1/2 bd\n1/3 2/3 hh\n1/2 1 sn\n2/3 1 hh\n", |a| stack(a[0].list())),
    f!("cat", ["patterns" => L], "One pattern per cycle, in turn (also `slowcat`).",
        r#"cat ["bd sn", "hh*3"]"#, "0..2", "0 1/2 bd\n1/2 1 sn\n1 4/3 hh\n4/3 5/3 hh\n5/3 2 hh\n", |a| slowcat(a[0].list())),
    f!("slowcat", ["patterns" => L], "Alias of `cat`.",
        r#"slowcat ["bd", "sn"]"#, "0..2", "0 1 bd\n1 2 sn\n", |a| slowcat(a[0].list())),
    f!("fastcat", ["patterns" => L], "All patterns squeezed into one cycle, in turn.",
        r#"fastcat ["bd sn", "hh*3"]"#, "0..1", "0 1/4 bd\n1/4 1/2 sn\n1/2 2/3 hh\n2/3 5/6 hh\n5/6 1 hh\n", |a| fastcat(a[0].list())),
    f!(
        "sine",
        [],
        "A sine wave from 0 to 1 and back, once a cycle (continuous).",
        r#"segment 4 sine"#,
        "0..1",
        "0 1/4 0.5\n1/4 1/2 1\n1/2 3/4 0.5000000000000001\n3/4 1 0\n",
        |_| signals::sine()
    ),
    f!(
        "cosine",
        [],
        "`sine` a quarter cycle later.",
        r#"segment 4 cosine"#,
        "0..1",
        "0 1/4 0\n1/4 1/2 0.5\n1/2 3/4 1\n3/4 1 0.5000000000000001\n",
        |_| signals::cosine()
    ),
    f!(
        "saw",
        [],
        "A ramp from 0 up to 1 each cycle (continuous).",
        r#"segment 4 saw"#,
        "0..1",
        "0 1/4 0\n1/4 1/2 0.25\n1/2 3/4 0.5\n3/4 1 0.75\n",
        |_| signals::saw()
    ),
    f!(
        "isaw",
        [],
        "A ramp from 1 down to 0 each cycle (continuous).",
        r#"segment 4 isaw"#,
        "0..1",
        "0 1/4 1\n1/4 1/2 0.75\n1/2 3/4 0.5\n3/4 1 0.25\n",
        |_| signals::isaw()
    ),
    f!(
        "tri",
        [],
        "Up in the first half cycle, down in the second (continuous).",
        r#"segment 4 tri"#,
        "0..1",
        "0 1/4 0\n1/4 1/2 0.5\n1/2 3/4 1\n3/4 1 0.5\n",
        |_| signals::tri()
    ),
    f!(
        "square",
        [],
        "0 in the first half cycle, 1 in the second (continuous).",
        r#"segment 4 square"#,
        "0..1",
        "0 1/4 0\n1/4 1/2 0\n1/2 3/4 1\n3/4 1 1\n",
        |_| signals::square()
    ),
];

/// `a op b` for the operators the expression syntax knows (`+`, `|+`, `+|`, `#`, `<~`, …).
pub fn operator(op: &str, a: &Pattern<Value>, b: &Pattern<Value>) -> Option<Pattern<Value>> {
    use combine::Op;
    if op == "<~" {
        return Some(timing::early(a, b));
    }
    if op == "~>" {
        return Some(timing::late(a, b));
    }
    if op == "#" {
        return Some(combine::op_left(a, b, Op::Right));
    }
    let (side, sym) = if let Some(s) = op.strip_prefix('|').and_then(|s| s.strip_suffix('|')) {
        (0, s)
    } else if let Some(s) = op.strip_prefix('|') {
        (1, s)
    } else if let Some(s) = op.strip_suffix('|') {
        (2, s)
    } else {
        (0, op)
    };
    let o = match sym {
        "+" => Op::Add,
        "-" => Op::Sub,
        "*" => Op::Mul,
        "/" => Op::Div,
        "%" => Op::Mod,
        ">" => Op::Right,
        "<" => Op::Left,
        _ => return None,
    };
    Some(match side {
        0 => combine::op_both(a, b, o),
        1 => combine::op_left(a, b, o),
        _ => combine::op_right(a, b, o),
    })
}
