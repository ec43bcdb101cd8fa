//! Decode and encode throughput of the same JSON payloads through this project's nexus models
//! and through progenitor's types for the same document. Written into a scratch workspace and
//! run by `cargo xtask bench --codec` (release build); not part of the repository's workspace.

use std::hint::black_box;
use std::time::Instant;

use nexus_conformance::Example;
use serde_json::Value;

/// Records per payload.
const RECORDS: usize = 10_000;
/// Timed rounds of each measurement, interleaved; the median is reported.
const ROUNDS: usize = 15;

/// `RECORDS` copies of `example`, each with its own id and name, as one JSON array.
fn payload(example: Value) -> Vec<u8> {
    let records: Vec<Value> = (0..RECORDS)
        .map(|index| {
            let mut record = example.clone();
            record["id"] = Value::from(format!("{index:08x}-0000-4000-8000-{index:012x}"));
            record["name"] = Value::from(format!("record-{index}"));
            record
        })
        .collect();
    serde_json::to_vec(&records).expect("the payload encodes")
}

/// The same payload with each record changed by `edit`: what a newer server may send.
fn edited(payload: &[u8], edit: fn(&mut Value)) -> Vec<u8> {
    let mut records: Vec<Value> = serde_json::from_slice(payload).expect("the payload reads");
    records.iter_mut().for_each(edit);
    serde_json::to_vec(&records).expect("the payload encodes")
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Seconds of one run of `work`.
fn once(work: impl FnOnce()) -> f64 {
    let started = Instant::now();
    work();
    started.elapsed().as_secs_f64()
}

fn megabytes_per_second(bytes: usize, seconds: f64) -> f64 {
    bytes as f64 / seconds / 1e6
}

/// Measures decode and encode of `payload` both ways and prints the table row; returns the
/// lower of the two ratios (this project's throughput over progenitor's), `None` when
/// progenitor's types do not read the payload.
fn measure<Ours, Peer>(label: &str, payload: &[u8]) -> Option<f64>
where
    Ours: serde::de::DeserializeOwned + serde::Serialize,
    Peer: serde::de::DeserializeOwned + serde::Serialize,
{
    let ours: Vec<Ours> = match serde_json::from_slice(payload) {
        Ok(ours) => ours,
        Err(error) => panic!("{label}: the models do not read the payload: {error}"),
    };
    let peer: Vec<Peer> = match serde_json::from_slice(payload) {
        Ok(peer) => peer,
        Err(error) => {
            println!("| {label} | {:.1} MB | progenitor's types do not read it: {error} | | | | | |", payload.len() as f64 / 1e6);
            return None;
        }
    };
    // Interleaved: each round of one measurement is close in time to the other's. The first
    // round warms up and is not counted.
    let (mut decode_ours, mut decode_peer, mut encode_ours, mut encode_peer) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..=ROUNDS {
        decode_ours.push(once(|| {
            black_box(serde_json::from_slice::<Vec<Ours>>(black_box(payload)).ok());
        }));
        decode_peer.push(once(|| {
            black_box(serde_json::from_slice::<Vec<Peer>>(black_box(payload)).ok());
        }));
        encode_ours.push(once(|| {
            black_box(serde_json::to_vec(black_box(&ours)).ok());
        }));
        encode_peer.push(once(|| {
            black_box(serde_json::to_vec(black_box(&peer)).ok());
        }));
    }
    for times in [&mut decode_ours, &mut decode_peer, &mut encode_ours, &mut encode_peer] {
        times.remove(0);
    }
    let encoded = serde_json::to_vec(&ours).expect("encodes").len();
    let peer_encoded = serde_json::to_vec(&peer).expect("encodes").len();
    let [decode_ours, decode_peer] =
        [decode_ours, decode_peer].map(|times| megabytes_per_second(payload.len(), median(times)));
    let encode_ours = megabytes_per_second(encoded, median(encode_ours));
    let encode_peer = megabytes_per_second(peer_encoded, median(encode_peer));
    println!(
        "| {label} | {:.1} MB | {decode_ours:.0} MB/s | {decode_peer:.0} MB/s | {:.2}x | {encode_ours:.0} MB/s | {encode_peer:.0} MB/s | {:.2}x |",
        payload.len() as f64 / 1e6,
        decode_ours / decode_peer,
        encode_ours / encode_peer,
    );
    Some((decode_ours / decode_peer).min(encode_ours / encode_peer))
}

/// Decode throughput of the models alone on `payload`, in MB/s.
fn decode_only<Ours: serde::de::DeserializeOwned>(label: &str, payload: &[u8]) -> f64 {
    if let Err(error) = serde_json::from_slice::<Vec<Ours>>(payload) {
        panic!("{label}: the models do not read the payload: {error}");
    }
    let seconds = median(
        (0..ROUNDS)
            .map(|_| {
                once(|| {
                    black_box(serde_json::from_slice::<Vec<Ours>>(black_box(payload)).ok());
                })
            })
            .collect(),
    );
    megabytes_per_second(payload.len(), seconds)
}

/// What the models' leniency costs and buys: `payload` with each record changed by `edit`
/// (`what` says how), decoded by the models against the plain payload, and whether
/// progenitor's types read it at all.
fn leniency<Ours, Peer>(label: &str, what: &str, payload: &[u8], edit: fn(&mut Value))
where
    Ours: serde::de::DeserializeOwned,
    Peer: serde::de::DeserializeOwned,
{
    let changed = edited(payload, edit);
    let plain = decode_only::<Ours>(label, payload);
    let lenient = decode_only::<Ours>(label, &changed);
    let peer = match serde_json::from_slice::<Vec<Peer>>(&changed) {
        Ok(_) => "read it too".to_owned(),
        Err(error) => format!("refuse it (`{error}`)"),
    };
    println!(
        "\n{label} with {what} ({:.1} MB): this project decodes it at {lenient:.0} MB/s ({plain:.0} MB/s for the plain payload); progenitor's types {peer}.",
        changed.len() as f64 / 1e6,
    );
}

fn main() {
    let disks = payload(serde_json::to_value(nexus_models::Disk::example()).expect("encodes"));
    let instances =
        payload(serde_json::to_value(nexus_models::Instance::example()).expect("encodes"));
    println!(
        "| payload ({RECORDS} records) | size | decode, this project | decode, progenitor | ratio | encode, this project | encode, progenitor | ratio |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let ratios = [
        measure::<nexus_models::Disk, nexus::types::Disk>("`Disk`", &disks),
        measure::<nexus_models::Instance, nexus::types::Instance>("`Instance`", &instances),
    ];
    let lowest = ratios.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    println!(
        "\nTarget (issue 14): decode and encode at least as fast as progenitor's types on the same payloads: {}.",
        if ratios.iter().any(Option::is_none) {
            "not measured on every payload".to_owned()
        } else if lowest >= 1.0 {
            format!("met (lowest ratio {lowest:.2}x)")
        } else {
            format!("not met (lowest ratio {lowest:.2}x)")
        }
    );
    // The leniency: values a newer server may send.
    leniency::<nexus_models::Disk, nexus::types::Disk>(
        "`Disk`",
        "a state the document does not list and a member it does not describe",
        &disks,
        |record| {
            record["state"] = serde_json::json!({ "state": "archived" });
            record["storage_tier"] = Value::from("cold");
        },
    );
    leniency::<nexus_models::Instance, nexus::types::Instance>(
        "`Instance`",
        "a run state the document does not list and a member it does not describe",
        &instances,
        |record| {
            record["run_state"] = Value::from("hibernating");
            record["storage_tier"] = Value::from("cold");
        },
    );
}
