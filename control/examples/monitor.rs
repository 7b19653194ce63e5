//! Prints what OSC and MIDI input decode to, with the counters: a way to check a
//! controller setup without a program playing.
//!
//! ```text
//! cargo run -p kanon-control --example monitor -- [--osc ADDR:PORT] [--midi [PORT]] [--channel N]
//! oscsend localhost 7770 /param sf cutoff 500      # in another terminal
//! ```
//!
//! Every name counts as known here. Stops after `--seconds S` (default: runs until killed).

use std::time::{Duration, Instant};

use kanon_control::midi::{Channel, MidiInput, MidiParams};
use kanon_control::{Delivery, OscListener, Update, DEFAULT_OSC_ADDR};

fn print(source: &'static str) -> impl FnMut(Update) -> Delivery + Send + 'static {
    move |update| {
        println!("{source}: {update:?}");
        Delivery::Applied
    }
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let mut osc = DEFAULT_OSC_ADDR;
    let mut midi: Option<Option<String>> = None;
    let mut channel = None;
    let mut seconds = None;
    while let Some(arg) = args.next() {
        let result = match arg.as_str() {
            // A whole address here (`127.0.0.1:9000`); `kanonc run --osc` also takes a port.
            "--osc" => args
                .next()
                .unwrap_or_default()
                .parse()
                .map(|a| osc = a)
                .map_err(|e| format!("--osc ADDR:PORT, e.g. 127.0.0.1:7770: {e}")),
            "--midi" => {
                midi = Some(args.next_if(|a| !a.starts_with("--")));
                Ok(())
            }
            "--channel" => args
                .next()
                .unwrap_or_default()
                .parse::<Channel>()
                .map(|c| channel = Some(c))
                .map_err(|e| e.to_string()),
            "--seconds" => args
                .next()
                .and_then(|s| s.parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| seconds = Some(Duration::from_secs_f64(s)))
                .ok_or_else(|| "--seconds takes a number".to_string()),
            other => Err(format!("unknown argument `{other}`")),
        };
        if let Err(e) = result {
            eprintln!("monitor: {e}");
            std::process::exit(2);
        }
    }

    let osc = match OscListener::spawn(osc, print("osc")) {
        Ok(listener) => {
            println!("listening for OSC on {}", listener.local_addr());
            Some(listener)
        }
        Err(e) => {
            eprintln!("warning: {e}");
            None
        }
    };
    let midi = midi.and_then(|port| {
        match MidiInput::open(port.as_deref(), MidiParams::new(channel), print("midi")) {
            Ok(input) => {
                println!("MIDI from {}", input.port_name());
                Some(input)
            }
            Err(e) => {
                eprintln!("warning: {e}");
                None
            }
        }
    });

    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(250));
        if seconds.is_some_and(|s| start.elapsed() >= s) {
            break;
        }
    }
    if let Some(osc) = &osc {
        println!("{}", osc.stats());
    }
    if let Some(midi) = &midi {
        println!("{}", midi.stats());
    }
}
