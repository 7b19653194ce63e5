//! The OSC listener over real UDP on loopback: packets encoded with rosc, sent from the
//! test, decoded by the listener's thread.
//!
//! No timing is asserted: waits are bounded only so that a broken listener fails the test
//! instead of hanging it.

use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use kanon_control::{Delivery, ListenError, OscListener, OscStats, Update};
use rosc::{OscBundle, OscMessage, OscPacket, OscTime, OscType};

/// Long enough for the slowest, busiest machine; only reached when something is broken.
const PATIENCE: Duration = Duration::from_secs(30);

/// A listener on a free loopback port whose sink forwards every update to a channel and
/// knows the parameter names `cutoff`, `res` and `cc74`.
fn listener() -> (OscListener, Receiver<Update>) {
    let (tx, rx) = mpsc::channel();
    let known = ["cutoff", "res", "cc74", "n"];
    let sink = move |update: Update| {
        let verdict = match &update {
            Update::Param { name, .. } if !known.contains(&name.as_str()) => Delivery::UnknownName,
            _ => Delivery::Applied,
        };
        tx.send(update).unwrap();
        verdict
    };
    let addr: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    let listener = OscListener::spawn(addr, sink).expect("loopback listener");
    assert!(listener.local_addr().ip().is_loopback());
    assert_ne!(listener.local_addr().port(), 0);
    (listener, rx)
}

fn sender() -> UdpSocket {
    UdpSocket::bind("127.0.0.1:0").unwrap()
}

fn send(socket: &UdpSocket, to: SocketAddr, packet: &OscPacket) {
    let bytes = rosc::encoder::encode(packet).unwrap();
    socket.send_to(&bytes, to).unwrap();
}

fn message(addr: &str, args: Vec<OscType>) -> OscPacket {
    OscPacket::Message(OscMessage {
        addr: addr.into(),
        args,
    })
}

fn param(name: &str, value: f64) -> Update {
    Update::Param {
        name: name.into(),
        value,
    }
}

fn next(rx: &Receiver<Update>) -> Update {
    rx.recv_timeout(PATIENCE).expect("an update")
}

/// Waits until the listener has read `packets` datagrams, then returns its counters.
fn settle(listener: &OscListener, packets: u64) -> OscStats {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let stats = listener.stats();
        if stats.packets >= packets {
            return stats;
        }
        assert!(Instant::now() < deadline, "stuck at {stats:?}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn every_address_form_arrives_decoded() {
    let (listener, rx) = listener();
    let to = listener.local_addr();
    let out = sender();
    let s = |text: &str| OscType::String(text.into());
    send(
        &out,
        to,
        &message("/param", vec![s("cutoff"), OscType::Float(500.0)]),
    );
    send(&out, to, &message("/param/res", vec![OscType::Double(0.7)]));
    send(
        &out,
        to,
        &message("/ctrl", vec![s("cutoff"), OscType::Int(800)]),
    );
    send(
        &out,
        to,
        &message("/ctrl", vec![OscType::Int(74), OscType::Float(0.5)]),
    );
    send(&out, to, &message("/tempo", vec![OscType::Float(0.75)]));
    send(&out, to, &message("/setcps", vec![OscType::Long(1)]));
    send(&out, to, &message("/hush", vec![]));
    assert_eq!(next(&rx), param("cutoff", 500.0));
    assert_eq!(next(&rx), param("res", 0.7));
    assert_eq!(next(&rx), param("cutoff", 800.0));
    assert_eq!(next(&rx), param("cc74", 0.5));
    assert_eq!(next(&rx), Update::Tempo { cps: 0.75 });
    assert_eq!(next(&rx), Update::Tempo { cps: 1.0 });
    assert_eq!(next(&rx), Update::Hush);
    let stats = settle(&listener, 7);
    assert_eq!((stats.received, stats.applied), (7, 7));
    assert_eq!(stats.to_string(), "osc 7 ok");
}

#[test]
fn nested_bundles_arrive_in_order() {
    let (listener, rx) = listener();
    let bundle = |content| {
        OscPacket::Bundle(OscBundle {
            timetag: OscTime::from((0, 1)),
            content,
        })
    };
    let packet = bundle(vec![
        message("/param/cutoff", vec![OscType::Int(1)]),
        bundle(vec![
            message("/param/res", vec![OscType::Int(2)]),
            bundle(vec![message("/param/cutoff", vec![OscType::Int(3)])]),
        ]),
        message("/param/res", vec![OscType::Int(4)]),
    ]);
    send(&sender(), listener.local_addr(), &packet);
    let got: Vec<Update> = (0..4).map(|_| next(&rx)).collect();
    assert_eq!(
        got,
        vec![
            param("cutoff", 1.0),
            param("res", 2.0),
            param("cutoff", 3.0),
            param("res", 4.0)
        ]
    );
    let stats = settle(&listener, 1);
    assert_eq!((stats.packets, stats.received, stats.applied), (1, 4, 4));
}

#[test]
fn bad_input_is_counted_by_kind_never_applied_and_the_listener_carries_on() {
    let (listener, rx) = listener();
    let to = listener.local_addr();
    let out = sender();
    let s = |text: &str| OscType::String(text.into());
    let raw = |bytes: &[u8]| {
        out.send_to(bytes, to).unwrap();
    };
    raw(b"");
    raw(b"not osc at all");
    raw(&[0xFF; 64]);
    raw(b"#bundle\0\0\0\0\0\0\0\0\x01\xFF\xFF\xFF\xFF"); // element longer than the packet
    let truncated =
        rosc::encoder::encode(&message("/param/cutoff", vec![OscType::Double(1.0)])).unwrap();
    raw(&truncated[..truncated.len() - 3]);
    send(
        &out,
        to,
        &message("/param/cutoff", vec![OscType::Float(f32::NAN)]),
    );
    send(
        &out,
        to,
        &message("/param", vec![s("cutoff"), OscType::Double(f64::INFINITY)]),
    );
    send(&out, to, &message("/param", vec![s("cutoff"), s("loud")]));
    send(&out, to, &message("/param", vec![s("cutoff")]));
    send(&out, to, &message("/hush", vec![OscType::Int(1)]));
    send(&out, to, &message("/volume", vec![OscType::Float(1.0)]));
    send(&out, to, &message("/tempo", vec![OscType::Float(0.0)]));
    send(
        &out,
        to,
        &message("/param/nosuch", vec![OscType::Float(1.0)]),
    );
    // And then a good one, which must still get through.
    send(
        &out,
        to,
        &message("/param/cutoff", vec![OscType::Float(2.0)]),
    );

    // Only the unknown name (the session decides those) and the good one reach the sink.
    assert_eq!(next(&rx), param("nosuch", 1.0));
    assert_eq!(next(&rx), param("cutoff", 2.0));
    let stats = settle(&listener, 14);
    assert_eq!(
        stats,
        OscStats {
            packets: 14,
            malformed: 5,
            received: 9,
            applied: 1,
            unknown_address: 1,
            wrong_arg_count: 2,
            wrong_type: 1,
            non_finite: 2,
            out_of_range: 1,
            unknown_name: 1,
            dropped: 0,
            socket_errors: 0,
        }
    );
    assert!(rx.try_recv().is_err());
}

#[test]
fn a_busy_port_is_an_error_value() {
    let (first, _rx) = listener();
    let taken = first.local_addr();
    match OscListener::spawn(taken, |_| Delivery::Applied) {
        Err(ListenError::InUse(addr)) => {
            assert_eq!(addr, taken);
            let warning = ListenError::InUse(addr).to_string();
            assert!(warning.contains("already in use"), "{warning}");
        }
        Err(other) => panic!("expected InUse, got {other}"),
        Ok(_) => panic!("two listeners on {taken}"),
    }
    // Any other program holding the port is the same.
    let holder = UdpSocket::bind("127.0.0.1:0").unwrap();
    let held = holder.local_addr().unwrap();
    assert!(matches!(
        OscListener::spawn(held, |_| Delivery::Applied),
        Err(ListenError::InUse(_))
    ));
}

#[test]
fn dropping_the_listener_frees_its_port() {
    let (listener, _rx) = listener();
    let addr = listener.local_addr();
    listener.stop();
    // The thread has been joined and the socket closed: the port can be bound again.
    let again = OscListener::spawn(addr, |_| Delivery::Applied).expect("port freed");
    assert_eq!(again.local_addr(), addr);
}

#[test]
fn a_full_session_queue_counts_as_dropped() {
    let (tx, rx) = mpsc::sync_channel::<Update>(2);
    let listener = OscListener::spawn("127.0.0.1:0".parse().unwrap(), tx).unwrap();
    let out = sender();
    for i in 0..5 {
        send(
            &out,
            listener.local_addr(),
            &message("/param/n", vec![OscType::Int(i)]),
        );
    }
    let stats = settle(&listener, 5);
    assert_eq!((stats.received, stats.applied, stats.dropped), (5, 2, 3));
    assert_eq!(rx.try_recv().unwrap(), param("n", 0.0));
    assert_eq!(rx.try_recv().unwrap(), param("n", 1.0));
}

/// 1,000 messages, each carrying its index, all arrive, in order. Sent in windows that
/// wait for the listener to catch up, because UDP drops what overflows the receive buffer
/// and this test is about the listener, not the kernel's buffer size.
#[test]
fn a_thousand_messages_all_arrive_in_order() {
    const TOTAL: usize = 1_000;
    const WINDOW: usize = 50;
    let (listener, rx) = listener();
    let to = listener.local_addr();
    let out = sender();
    let mut got = Vec::with_capacity(TOTAL);
    for start in (0..TOTAL).step_by(WINDOW) {
        for i in start..start + WINDOW {
            send(
                &out,
                to,
                &message(
                    "/param",
                    vec![OscType::String("n".into()), OscType::Int(i as i32)],
                ),
            );
        }
        for _ in 0..WINDOW {
            got.push(next(&rx));
        }
    }
    let expected: Vec<Update> = (0..TOTAL).map(|i| param("n", i as f64)).collect();
    assert_eq!(got, expected);
    let stats = settle(&listener, TOTAL as u64);
    assert_eq!(
        (stats.received, stats.applied),
        (TOTAL as u64, TOTAL as u64)
    );
}
