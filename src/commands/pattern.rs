//! `kanonc pattern 'MINI' [--cycles A..B]`: the events of a mini-notation pattern whose
//! onsets lie in the cycles A to B, one per line (`BEGIN END VALUE`, exact fractions),
//! as TidalCycles' `queryArc` gives them.

use kanon_pattern::text;

/// Prints the events, or the error with a caret under the offending character.
pub fn run(mini: &str, cycles: &str) -> Result<(), String> {
    let (from, to) =
        text::parse_cycles(cycles).map_err(|e| format!("error: --cycles {cycles}: {e}"))?;
    match text::events(mini, from, to) {
        Ok(lines) => {
            print!("{lines}");
            Ok(())
        }
        Err(text::TextError::Mini(e)) => Err(format!("error: {}", e.render(mini))),
        Err(e) => Err(format!("error: {e}")),
    }
}
