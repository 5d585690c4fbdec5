//! Snapshots of every generated file of every fixture (insta), determinism,
//! and the wfgen header. Generation runs in memory: `wfgen::spec::load`, then
//! `wfgen::generate`.
//!
//! Reviewing changed snapshots (no cargo-insta needed):
//!   INSTA_UPDATE=always cargo test --test generate_snapshots
//!   git diff tests/snapshots/
//! or, with cargo-insta installed: `cargo insta test` then `cargo insta review`.

mod common;

use std::path::Path;

use sha2::{Digest, Sha256};
use wfgen::render::{self, Rendered};

fn generate(spec_path: &Path) -> Vec<Rendered> {
    let spec = wfgen::load_spec(spec_path).unwrap_or_else(|e| panic!("{} does not load:\n{e}", spec_path.display()));
    wfgen::generate(&spec)
}

/// Snapshots every file of a fixture; reports every differing file, not
/// only the first (each mismatch is printed with its diff by insta).
fn snapshots(fixture: &str) {
    let files = generate(&common::fixture_spec(fixture));
    assert!(!files.is_empty(), "fixture {fixture} generates nothing");
    let mut failed = Vec::new();
    for f in &files {
        let name = snapshot_name(fixture, &f.path);
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({
                snapshot_path => "snapshots",
                prepend_module_to_snapshot => true,
                omit_expression => true,
                description => format!("fixtures/{fixture}/wfgen.yaml -> {}", f.path),
            }, {
                insta::assert_snapshot!(name.as_str(), f.text.as_str());
            });
        });
        if result.is_err() {
            failed.push(f.path.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "fixture {fixture}: snapshots differ for {failed:?}; review them (README: Snapshots)"
    );
}

/// `<fixture>__<file>`, e.g. `llm-proxy__release.yml`.
fn snapshot_name(fixture: &str, path: &str) -> String {
    let file = path.rsplit('/').next().unwrap();
    format!("{fixture}__{file}")
}

/// Same spec, same bytes: twice in one process, and from a copy of the spec
/// in another directory (no absolute path leaks into the output).
fn deterministic(fixture: &str) {
    let spec = common::fixture_spec(fixture);
    let first = generate(&spec);
    let second = generate(&spec);
    assert_eq!(first, second, "fixture {fixture}: two renderings differ");

    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("wfgen.yaml");
    std::fs::copy(&spec, &copy).unwrap();
    let elsewhere = generate(&copy);
    assert_eq!(
        first, elsewhere,
        "fixture {fixture}: output depends on where the spec is"
    );
}

/// Every file starts with the header that names the spec and its sha256.
fn headers(fixture: &str) {
    let spec = common::fixture_spec(fixture);
    let sha: String = Sha256::digest(std::fs::read(&spec).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let expected = render::header("wfgen.yaml", &sha);
    assert!(expected.contains(&sha) && expected.contains("wfgen.yaml"));
    for f in generate(&spec) {
        assert!(
            f.text.starts_with(&expected),
            "fixture {fixture}: {} does not start with the header\n{expected}\nit starts with:\n{}",
            f.path,
            f.text.lines().take(3).collect::<Vec<_>>().join("\n")
        );
        let h = render::parse_header(&f.text).expect("header parses");
        assert_eq!((h.spec.as_str(), h.sha256.as_str()), ("wfgen.yaml", sha.as_str()));
        assert!(
            f.path.starts_with(".github/workflows/") && f.path.ends_with(".yml"),
            "fixture {fixture}: unexpected output path {}",
            f.path
        );
        assert!(
            f.text.ends_with('\n') && !f.text.ends_with("\n\n"),
            "{}: one final newline",
            f.path
        );
    }
}

macro_rules! fixtures {
    ($($module:ident => $fixture:literal),* $(,)?) => {
        $(
            mod $module {
                #[test]
                fn snapshots() {
                    super::snapshots($fixture)
                }
                #[test]
                fn deterministic() {
                    super::deterministic($fixture)
                }
                #[test]
                fn headers() {
                    super::headers($fixture)
                }
            }
        )*
        const COVERED: &[&str] = &[$($fixture),*];
    };
}

fixtures! {
    aicr => "aicr",
    airflow => "airflow",
    cluster_tool => "cluster-tool",
    llm_proxy => "llm-proxy",
    mlserver => "mlserver",
    model_server => "model-server",
    opsml => "opsml",
    opsml_server => "opsml-server",
    vector => "vector",
}

#[test]
fn every_fixture_is_snapshotted() {
    assert_eq!(
        common::fixtures(),
        COVERED,
        "add each fixture under fixtures/ to fixtures! in tests/generate_snapshots.rs"
    );
}

/// A snapshot whose file the fixtures no longer produce is stale: delete it.
#[test]
fn no_stale_snapshots() {
    let mut expected: Vec<String> = Vec::new();
    for fixture in common::fixtures() {
        for f in generate(&common::fixture_spec(&fixture)) {
            expected.push(format!("generate_snapshots__{}.snap", snapshot_name(&fixture, &f.path)));
        }
    }
    let dir = common::repo_root().join("tests/snapshots");
    let stale: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("generate_snapshots__") && n.ends_with(".snap"))
                .filter(|n| !expected.contains(n))
                .collect()
        })
        .unwrap_or_default();
    assert!(
        stale.is_empty(),
        "stale snapshots in tests/snapshots (no fixture generates these files any more; delete them): {stale:?}"
    );
}
