//! Hostile input ends quickly with a clear diagnostic and bounded memory:
//! an alias bomb, 10,000-deep nesting and a 50 MB document, through every
//! entry point that reads text or JSON. A counting allocator measures the
//! peak memory each one takes beyond its input. Times are printed, never
//! asserted (docs/robustness.md has the measured figures).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use canaria_core::compile::{Options as CompileOptions, compile_source};
use canaria_core::validate::{Options, validate_source};

/// The system allocator, counting the bytes live and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One test at a time: the tests of this file run in parallel, and what one
/// allocates (a 50 MB input) would count in another's peak.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `work`, returning its result, the peak bytes allocated beyond what
/// was live before it, and the time it took.
fn measure<T>(work: impl FnOnce() -> T) -> (T, usize, std::time::Duration) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let started = Instant::now();
    let result = work();
    let took = started.elapsed();
    (result, PEAK.load(Ordering::Relaxed) - before, took)
}

const MB: usize = 1 << 20;

/// Every entry point that reads serverless.yml text reports `code` and
/// nothing else, within `memory` bytes beyond the input.
fn refused_everywhere(name: &str, text: &str, code: &str, memory: usize) {
    let (diagnostics, peak, took) = measure(|| validate_source(text, &Options::default()));
    println!("{name}: validate {took:?}, peak {} KiB", peak / 1024);
    assert_eq!(diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), [code]);
    assert!(peak < memory, "{name}: validate took {peak} bytes");

    let (compiled, peak, took) = measure(|| compile_source(text, &CompileOptions::default()));
    println!("{name}: compile {took:?}, peak {} KiB", peak / 1024);
    assert_eq!(compiled.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), [code]);
    assert!(compiled.template.is_none());
    assert!(peak < memory, "{name}: compile took {peak} bytes");

    let (loaded, peak, took) = measure(|| canaria_core::load_yaml(text));
    println!("{name}: loadYaml {took:?}, peak {} KiB", peak / 1024);
    assert!(loaded.contains(&format!("\"code\":\"{code}\"")), "{loaded}");
    assert!(peak < memory, "{name}: loadYaml took {peak} bytes");
}

#[test]
fn an_alias_bomb_is_refused() {
    let _exclusive = exclusive();
    // "Billion laughs": ten levels, each alias ten times the one before.
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let previous = format!("*a{}", level - 1);
        text.push_str(&format!("a{level}: &a{level} [{}]\n", vec![previous; 10].join(", ")));
    }
    text.push_str("service: bomb\n");
    refused_everywhere("alias bomb", &text, "yaml/alias-budget", 16 * MB);
}

#[test]
fn deep_nesting_is_refused() {
    let _exclusive = exclusive();
    let depth = 10_000;
    let flow = format!("service: deep\ncustom: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    refused_everywhere("10,000-deep flow", &flow, "yaml/too-deep", 16 * MB);
    // Compact block sequences: `- - - … x`, one level per dash.
    let block = format!("service: deep\ncustom: \n  {}x\n", "- ".repeat(depth));
    refused_everywhere("10,000-deep block", &block, "yaml/too-deep", 16 * MB);
}

#[test]
fn a_50_mb_document_is_refused_before_it_is_read() {
    let _exclusive = exclusive();
    let mut text = String::from("service: big\ncustom:\n");
    let line = "  key: a value that fills the document up to fifty megabytes\n";
    while text.len() < 50 * MB {
        text.push_str(line);
    }
    refused_everywhere("50 MB", &text, "yaml/too-large", MB);
}

#[test]
fn deep_json_templates_are_refused_by_the_plugin_passes() {
    let _exclusive = exclusive();
    let depth = 10_000;
    let template = format!("{{\"Resources\": {}{}}}", "[".repeat(depth), "]".repeat(depth));
    let service = r#"{"service": "svc", "stackName": "svc-dev", "stage": "dev"}"#;
    for (name, pass) in [("canaryPass", canary_core_canary as Pass), ("alertsPass", canary_core_alerts)] {
        let (result, peak, took) = measure(|| pass(&template, service));
        println!("10,000-deep JSON: {name} {took:?}, peak {} KiB", peak / 1024);
        let error = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("recursion limit exceeded"), "{name}: {error}");
        assert!(peak < 4 * MB, "{name} took {peak} bytes");
    }
}

type Pass = fn(&str, &str) -> Result<String, canaria_core::InputError>;

fn canary_core_canary(template: &str, service: &str) -> Result<String, canaria_core::InputError> {
    canaria_core::canary_pass(template, service)
}

fn canary_core_alerts(template: &str, service: &str) -> Result<String, canaria_core::InputError> {
    canaria_core::alerts_pass(template, service)
}
