//! How fast control input is decoded: OSC per datagram (decode and dispatch), MIDI per
//! byte, and OSC end to end over loopback UDP. Prints a table; asserts nothing.
//!
//! `cargo bench -p kanon-control --bench throughput`

use std::hint::black_box;
use std::net::UdpSocket;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kanon_control::midi::{MidiParams, MidiParser};
use kanon_control::osc::dispatch_packet;
use kanon_control::{Delivery, MidiCounters, OscCounters, OscListener, Update};
use rosc::{OscBundle, OscMessage, OscPacket, OscTime, OscType};

/// Best of `rounds` timings of `f` run `n` times, in ns per run.
fn best_ns(rounds: usize, n: usize, mut f: impl FnMut()) -> f64 {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..n {
                f();
            }
            start.elapsed().as_nanos() as f64 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn message(addr: &str, args: Vec<OscType>) -> OscPacket {
    OscPacket::Message(OscMessage {
        addr: addr.into(),
        args,
    })
}

fn main() {
    let param = rosc::encoder::encode(&message(
        "/param",
        vec![OscType::String("cutoff".into()), OscType::Float(500.0)],
    ))
    .unwrap();
    let bundle = rosc::encoder::encode(&OscPacket::Bundle(OscBundle {
        timetag: OscTime::from((0, 1)),
        content: (0..16)
            .map(|i| message("/param/cutoff", vec![OscType::Int(i)]))
            .collect(),
    }))
    .unwrap();
    let counters = OscCounters::new();
    let mut sink = |u: Update| {
        black_box(u);
        Delivery::Applied
    };
    let ns = best_ns(5, 100_000, || {
        dispatch_packet(black_box(&param), &counters, &mut sink)
    });
    println!("osc  /param sf message, decode + dispatch   {ns:8.0} ns/datagram");
    let ns = best_ns(5, 10_000, || {
        dispatch_packet(black_box(&bundle), &counters, &mut sink)
    });
    println!("osc  bundle of 16 messages                  {ns:8.0} ns/datagram");

    let stream: Vec<u8> = (0..1_000u32)
        .flat_map(|i| [0x90, (i % 128) as u8, 100, 0xF8, 0xB0, 74, (i % 128) as u8])
        .collect();
    let mut parser = MidiParser::new();
    let ns = best_ns(5, 200, || {
        for &b in &stream {
            black_box(parser.push(black_box(b)));
        }
    }) / stream.len() as f64;
    println!("midi parser                                 {ns:8.2} ns/byte");
    let mut params = MidiParams::new(None);
    let midi_counters = MidiCounters::new();
    let ns = best_ns(5, 20, || {
        params.feed(black_box(&stream), &midi_counters, &mut sink)
    }) / 2_000.0;
    println!("midi bytes to parameter updates             {ns:8.0} ns/message");

    // End to end: send in windows the listener can absorb (UDP drops what overflows the
    // socket's receive buffer), count what arrives.
    let (tx, rx) = mpsc::channel();
    let listener = OscListener::spawn("127.0.0.1:0".parse().unwrap(), tx).unwrap();
    let out = UdpSocket::bind("127.0.0.1:0").unwrap();
    const TOTAL: usize = 50_000;
    const WINDOW: usize = 100;
    let start = Instant::now();
    for _ in 0..TOTAL / WINDOW {
        for _ in 0..WINDOW {
            out.send_to(&param, listener.local_addr()).unwrap();
        }
        for _ in 0..WINDOW {
            rx.recv_timeout(Duration::from_secs(10))
                .expect("every message arrives");
        }
    }
    let per_s = TOTAL as f64 / start.elapsed().as_secs_f64();
    println!("osc  loopback UDP, send to sink (windowed)  {per_s:8.0} messages/s");
    println!("{}", listener.stats());
}
