//! Pipeline benchmark: prints figures, asserts nothing.
//!
//!   cargo bench --bench pipeline
//!
//! For each fixture: the median and spread of N in-process runs of each stage
//! (load+validate, plan, render, the whole `wfgen generate` in memory), and
//! each stage's share of the whole. Machines here are shared and noisy:
//! compare the ratios within one run, not absolute times across runs.

use std::path::PathBuf;
use std::time::{Duration, Instant};

const RUNS: usize = 200;

fn measure(mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    for _ in 0..10 {
        f();
    }
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[RUNS / 2], times[RUNS / 10], times[RUNS * 9 / 10])
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/")
        .flatten()
        .map(|e| e.path().join("wfgen.yaml"))
        .filter(|p| p.is_file())
        .collect();
    fixtures.sort();
    println!("{RUNS} runs per figure; median [p10..p90] in microseconds; share = median / whole generate");
    println!(
        "{:<14} {:>7} {:>26} {:>26} {:>26} {:>26}",
        "fixture", "bytes", "load+validate", "plan", "render", "generate (all)"
    );
    for spec_path in fixtures {
        let name = spec_path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let spec = wfgen::load_spec(&spec_path).expect("fixture loads");
        let plan = wfgen::plan::Plan::new(&spec.spec);
        let header = wfgen::render::header(&spec.name, &spec.sha256());
        let bytes: usize = wfgen::render::render(&plan, &header).iter().map(|r| r.text.len()).sum();
        let load = measure(|| {
            std::hint::black_box(wfgen::load_spec(&spec_path).unwrap());
        });
        let planning = measure(|| {
            std::hint::black_box(wfgen::plan::Plan::new(&spec.spec));
        });
        let render = measure(|| {
            std::hint::black_box(wfgen::render::render(&plan, &header));
        });
        let all = measure(|| {
            let s = wfgen::load_spec(&spec_path).unwrap();
            std::hint::black_box(wfgen::generate(&s));
        });
        let cell = |(m, lo, hi): (Duration, Duration, Duration)| {
            format!(
                "{:>7.0} [{:.0}..{:.0}] {:>3.0}%",
                m.as_secs_f64() * 1e6,
                lo.as_secs_f64() * 1e6,
                hi.as_secs_f64() * 1e6,
                100.0 * m.as_secs_f64() / all.0.as_secs_f64()
            )
        };
        println!(
            "{name:<14} {bytes:>7} {:>26} {:>26} {:>26} {:>26}",
            cell(load),
            cell(planning),
            cell(render),
            cell(all)
        );
    }
}
