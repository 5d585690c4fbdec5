//! The fuzz targets' bodies (src/fuzzing.rs, run by `scripts/fuzz` under
//! cargo-fuzz) over a corpus of seed inputs on every test run: the fixture
//! specs, their workflows and hostile strings. A seed that panics is a
//! finding, as in the fuzzer.

use wfgen::fuzzing::mutations::Corpus;
use wfgen::fuzzing::{self, Prepared};

const FIXTURES: [&str; 7] = [
    "llm-proxy",
    "cluster-tool",
    "opsml",
    "model-server",
    "mlserver",
    "airflow",
    "vector",
];

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/fixtures/{name}/wfgen.yaml", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// Hostile strings for every target.
fn hostile() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "\u{feff}",
        "\0",
        "{",
        "[",
        "}",
        "*a",
        "&a x",
        "---\n...\n",
        "--- |\n  x",
        "wfgen: 1\n",
        "wfgen: 1\nproject: { name: x }\n",
        "{wfgen: 1, project: {name: x}}",
        "!!map {}",
        "pins: !!map {}",
        "a: &a [*a]",
        "a: &a b\nc: *a\n",
        "\r\n\r\n",
        "# }\n",
        "x: \"\\u0000\"",
        "\t",
        "\u{2028}\u{2029}\u{85}",
        "?\n: x",
        "<<: {a: 1}",
        "${{ github.event.issue.title }}",
        "v1.2.3",
        "v1.2.3-rc.1",
        "v1.2.3+build.7",
        "1.2.3",
        "v1.2.3\nv1.2.2\nv2.0.0",
        "v1.2.3-",
        "v1.2.3.post1",
        "v01.2.3",
        "v1.2.3-rc.1-stable",
        "v1.2.3-stable",
        "vé.1.2",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("[".repeat(64) + &"]".repeat(64));
    v.push(format!("v1.2.3-{}", "a".repeat(150)));
    v.push(format!("v{}.2.3", "9".repeat(40)));
    v.push("x".repeat(10_000));
    v
}

#[test]
fn spec_pipeline_seeds() {
    for s in FIXTURES.iter().map(|f| fixture(f)).chain(hostile()) {
        fuzzing::spec_pipeline(s.as_bytes());
        // Each fixture cut at every line: most are invalid, none may panic.
        for (i, _) in s.match_indices('\n').step_by(7) {
            fuzzing::spec_pipeline(&s.as_bytes()[..i]);
        }
    }
}

#[test]
fn check_workflow_seeds() {
    for f in FIXTURES {
        let p = Prepared::new(&fixture(f));
        for (i, r) in p.rendered.iter().enumerate() {
            let pick = i as u8;
            let mut seeds: Vec<String> = vec![
                r.text.clone(),
                r.text[..r.text.len() / 2].to_string(),
                r.text.replace("    ", "  "),
                r.text.replace(": ", ": *x "),
                r.text.replace('\n', "\r\n"),
            ];
            if i == 0 {
                seeds.extend(hostile());
            }
            for s in seeds {
                let data = [&[pick][..], s.as_bytes()].concat();
                fuzzing::check_workflow(&p, &data);
            }
        }
    }
}

#[test]
fn version_grammar_seeds() {
    for f in FIXTURES {
        let p = Prepared::new(&fixture(f));
        for s in hostile() {
            fuzzing::version_grammar(&p, s.as_bytes());
        }
    }
}

#[test]
fn pins_sync_roundtrip_seeds() {
    let tails = [
        "",
        "# a comment at the end\n",
        "gates:\n  - name: build\n    run: |\n      make build",
        "gates:\n  - name: build\n    run: |+\n      make build",
        "gates:\n  - name: build\n    run: >\n      make build",
        "...\n",
        "pins: !!map {}\n",
        "pins: { # a } in a comment\n}\n",
        "pins:\n  docker/login-action: &login { version: v3.0.0, sha: 3d3c42e5aac5ba805825da76410c181273ba90b1 }\n  docker/metadata-action: *login\n",
        "pins:\n  actions/checkout:\n    version: &v v7.0.1\n    sha: 3d3c42e5aac5ba805825da76410c181273ba90b1\nx-note: *v\n",
    ];
    for f in FIXTURES {
        let base = fixture(f);
        fuzzing::pins_sync_roundtrip(&base, &[0]);
        for t in tails {
            // The fixture then the tail; the tail alone before the fixture.
            fuzzing::pins_sync_roundtrip(&base, &[&[1u8][..], t.as_bytes()].concat());
            fuzzing::pins_sync_roundtrip(&base, &[&[2u8][..], t.as_bytes()].concat());
        }
        let crlf = base.replace('\n', "\r\n");
        fuzzing::pins_sync_roundtrip(&base, &[&[0u8][..], crlf.as_bytes()].concat());
    }
}

/// Every input a fuzzer found a crash with (tests/data/fuzz/TARGET/), run
/// again through its target as cargo-fuzz feeds it: the first byte picks the
/// fixture. A finding that comes back fails here, without the fuzzer.
#[test]
fn fuzz_findings_stay_fixed() {
    let prepared: Vec<Prepared> = FIXTURES.iter().map(|f| Prepared::new(&fixture(f))).collect();
    let corpus = Corpus::from_repository(std::path::Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let dir = format!("{}/tests/data/fuzz", env!("CARGO_MANIFEST_DIR"));
    let mut ran = 0;
    for target in std::fs::read_dir(&dir).unwrap() {
        let target = target.unwrap().path();
        for input in std::fs::read_dir(&target).unwrap() {
            let data = std::fs::read(input.unwrap().path()).unwrap();
            let (first, rest) = data.split_first().unwrap_or((&0, &[]));
            let p = &prepared[*first as usize % prepared.len()];
            match target.file_name().unwrap().to_str().unwrap() {
                "check_workflow" => fuzzing::check_workflow(p, rest),
                "spec_pipeline" => fuzzing::spec_pipeline(&data),
                // The whole input, as the target takes it; a panic names the
                // base spec and the mutations.
                "spec_mutations" => {
                    let case = corpus.decode(&data);
                    let text = case.text();
                    if let Err(e) = std::panic::catch_unwind(|| fuzzing::exercise(&text)) {
                        let msg = e
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default();
                        panic!("spec_mutations finding {}: {msg}", case.describe());
                    }
                }
                "pins_sync_roundtrip" => {
                    fuzzing::pins_sync_roundtrip(&fixture(FIXTURES[*first as usize % FIXTURES.len()]), rest)
                }
                other => panic!("tests/data/fuzz/{other}: no such fuzz target here"),
            }
            ran += 1;
        }
    }
    assert!(ran > 0, "tests/data/fuzz holds the inputs of earlier findings");
}
