//! Micro-benchmarks of the core on the generated 100-function service:
//! the two plugin passes (JSON text in, JSON text out, exactly what crosses
//! N-API), validate and the standalone compile on its serverless.yml. Also reports each one's peak
//! heap use, counted by a wrapping allocator.
//!
//! The inputs are the engine's real inputs, saved by the plugin benchmark:
//! `node bench/run.js --dump bench/.work/inputs/100` (`make bench` does it),
//! read from `CANARIA_BENCH_INPUTS` (default `../bench/.work/inputs/100`).

#![allow(missing_docs, clippy::expect_used)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::{Criterion, criterion_group, criterion_main};

/// The system allocator, counting live bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak heap bytes above what was live before `run`.
fn peak_bytes(run: impl FnOnce()) -> usize {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    run();
    PEAK.load(Ordering::Relaxed) - base
}

struct Inputs {
    alerts: (String, String),
    canary: (String, String),
    yaml: String,
}

fn read_inputs() -> Inputs {
    let dir = std::env::var_os("CANARIA_BENCH_INPUTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bench/.work/inputs/100"));
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| {
            panic!("{}: {e}; run `node bench/run.js --dump bench/.work/inputs/100` first", dir.join(name).display())
        })
    };
    Inputs {
        alerts: (read("alertsPass.template.json"), read("alertsPass.service.json")),
        canary: (read("canaryPass.template.json"), read("canaryPass.service.json")),
        yaml: read("serverless.yml"),
    }
}

fn passes(c: &mut Criterion) {
    let inputs = read_inputs();
    let options = canaria_core::validate::Options::default();
    let mut memory = Vec::new();

    let alerts = || canaria_core::alerts_pass(black_box(&inputs.alerts.0), black_box(&inputs.alerts.1));
    let canary = || canaria_core::canary_pass(black_box(&inputs.canary.0), black_box(&inputs.canary.1));
    let validate = || canaria_core::validate::validate_source(black_box(&inputs.yaml), &options);
    let compile = || canaria_core::compile(black_box(&inputs.yaml), "{}");
    assert!(alerts().is_ok() && canary().is_ok(), "the saved inputs are not valid engine inputs");

    memory.push(("alerts pass", peak_bytes(|| drop(alerts()))));
    memory.push(("canary pass", peak_bytes(|| drop(canary()))));
    memory.push(("validate", peak_bytes(|| drop(validate()))));
    memory.push(("standalone compile", peak_bytes(|| drop(compile()))));

    let mut group = c.benchmark_group("100 functions");
    group.bench_function("alerts pass (plugin, JSON in and out)", |b| b.iter(alerts));
    group.bench_function("canary pass (plugin, JSON in and out)", |b| b.iter(canary));
    group.bench_function("validate serverless.yml", |b| b.iter(validate));
    group.bench_function("standalone compile of serverless.yml (JSON out)", |b| b.iter(compile));
    group.finish();

    for (name, bytes) in memory {
        println!("peak heap, {name}: {:.1} MB", bytes as f64 / 1e6);
    }
}

criterion_group!(benches, passes);
criterion_main!(benches);
