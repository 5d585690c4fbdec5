//! The structure-aware fuzz target `spec_mutations` (src/fuzzing/mutations.rs)
//! run systematically: every single mutation of every base spec (the
//! fixtures and the repository's wfgen.yaml), enumerated, then seeded chains
//! of 2 to 4 mutations. Every mutated spec that validates must generate,
//! plan every tag of `fuzzing::TAGS` and render without a panic; each case
//! runs under `catch_unwind`, and the test reports every failing case, with
//! the mutations that made it, at the end.

use std::collections::HashSet;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::time::Instant;

use wfgen::fuzzing::mutations::{BASE_SPECS, Case, Corpus, Mutation, apply};

/// Seeded chains of 2 to 4 mutations, after the single mutations, of
/// each kind: as the fuzz target decodes bytes (any mutations), and of
/// single mutations that validated alone (their combinations validate
/// more often). WFGEN_MUTATION_CHAINS=N runs N of each instead.
const CHAINS: u64 = 200;

#[derive(Default)]
struct Tally {
    cases: usize,
    duplicates: usize,
    valid: usize,
    workflows: usize,
    releases: usize,
    failures: Vec<(String, String)>,
}

impl Tally {
    /// Runs one case unless its text was run already; whether it validated.
    fn run(&mut self, case: &Case, seen: &mut HashSet<String>) -> bool {
        let text = case.text();
        if !seen.insert(text.clone()) {
            self.duplicates += 1;
            return false;
        }
        self.cases += 1;
        match panic::catch_unwind(AssertUnwindSafe(|| wfgen::fuzzing::exercise(&text))) {
            Ok(None) => false,
            Ok(Some(e)) => {
                self.valid += 1;
                self.workflows += e.workflows;
                self.releases += e.releases;
                true
            }
            Err(payload) => {
                self.valid += 1;
                let msg = payload
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "(a panic without a message)".into());
                let entry = (case.describe(), msg);
                self.failures.push(entry);
                true
            }
        }
    }
}

/// splitmix64: the bytes of the seeded chains, the same on every run.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[test]
fn every_single_mutation_and_seeded_chains_of_every_base_spec() {
    let start = Instant::now();
    let corpus = Corpus::from_repository(Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap();
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));

    let mut seen = HashSet::new();
    let mut singles = Tally::default();
    let mut per_base = Vec::new();
    let mut valid_singles: Vec<Vec<Mutation>> = Vec::new();
    for (i, b) in corpus.bases.iter().enumerate() {
        let base = Case {
            base: b.name.clone(),
            mutations: Vec::new(),
            doc: b.doc.clone(),
        };
        let before = (singles.cases, singles.valid);
        assert!(
            singles.run(&base, &mut seen),
            "the base spec {} validates as the engine writes it",
            b.name
        );
        let mut valid = Vec::new();
        for case in corpus.single_cases(i) {
            if singles.run(&case, &mut seen) {
                valid.extend(case.mutations);
            }
        }
        valid_singles.push(valid);
        per_base.push(format!(
            "{} {}/{}",
            b.name,
            singles.valid - before.1,
            singles.cases - before.0
        ));
    }
    let singles_took = start.elapsed();

    let n: u64 = std::env::var("WFGEN_MUTATION_CHAINS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CHAINS);
    let mut chains = Tally::default();
    let mut state = 0x5eed_u64;
    for k in 0..n {
        let bases = corpus.bases.len() as u64;
        // As the fuzz target: base, chain length 2-4, two bytes a mutation.
        let mut data = vec![(k % bases) as u8, 1 + (splitmix(&mut state) % 3) as u8];
        data.extend(splitmix(&mut state).to_le_bytes());
        chains.run(&corpus.decode(&data), &mut seen);
        // Two to four of the base's single mutations that validated alone.
        let b = &corpus.bases[(k % bases) as usize];
        let pool = &valid_singles[(k % bases) as usize];
        let mut case = Case {
            base: b.name.clone(),
            mutations: Vec::new(),
            doc: b.doc.clone(),
        };
        for _ in 0..2 + splitmix(&mut state) % 3 {
            let m = &pool[(splitmix(&mut state) % pool.len() as u64) as usize];
            if apply(&mut case.doc, m) {
                case.mutations.push(m.clone());
            }
        }
        chains.run(&case, &mut seen);
    }
    panic::set_hook(hook);

    println!(
        "single mutations: {} specs, {} validated and exercised ({} workflows, {} tag plans accepted), {} duplicates skipped; per base (valid/run): {}; {:.1?}",
        singles.cases,
        singles.valid,
        singles.workflows,
        singles.releases,
        singles.duplicates,
        per_base.join(", "),
        singles_took
    );
    println!(
        "chains of 2-4 mutations: {} specs, {} validated and exercised, {} duplicates skipped; {:.1?} in all",
        chains.cases,
        chains.valid,
        chains.duplicates,
        start.elapsed()
    );
    // A test that validates nothing proves nothing.
    assert!(
        singles.valid * 3 >= singles.cases,
        "only {} of {} single mutations validate",
        singles.valid,
        singles.cases
    );
    assert!(
        chains.valid * 4 >= chains.cases,
        "only {} of {} chains validate",
        chains.valid,
        chains.cases
    );

    let failures: Vec<&(String, String)> = singles.failures.iter().chain(&chains.failures).collect();
    assert!(
        failures.is_empty(),
        "{} mutated specs validate and then panic:\n{}",
        failures.len(),
        failures
            .iter()
            .map(|(case, msg)| format!("  {case}\n    {msg}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The base specs are every fixture and the repository's own spec, and the
/// fuzz target includes the same files in the same order.
#[test]
fn base_specs_are_every_fixture_and_the_fuzz_target_has_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(root.join("fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("wfgen.yaml").is_file())
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    names.sort();
    let mut fixtures: Vec<String> = names.iter().map(|n| format!("fixtures/{n}/wfgen.yaml")).collect();
    fixtures.push("wfgen.yaml".into());
    assert_eq!(BASE_SPECS.to_vec(), fixtures, "BASE_SPECS in src/fuzzing/mutations.rs");
    let lib = std::fs::read_to_string(root.join("fuzz/src/lib.rs")).unwrap();
    let specs = &lib[lib.find("pub const SPECS").expect("fuzz/src/lib.rs has SPECS")..];
    let specs = &specs[..specs.find("];").unwrap()];
    let included: Vec<&str> = specs
        .split("include_str!(\"../../")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(included, BASE_SPECS, "SPECS in fuzz/src/lib.rs");
}

/// Mutations of a small spec do what they say.
#[test]
fn mutations_apply_as_described() {
    let corpus = Corpus::new(&[
        (
            "a",
            "wfgen: 1\nproject: { name: a }\ntriggers: { pull-request: plan }\ngates:\n  - { name: test, run: make test }\n",
        ),
        (
            "b",
            "wfgen: 1\nproject: { name: b }\nrelease: { github-release: never }\n",
        ),
    ]);
    let all: Vec<String> = corpus
        .single_cases(0)
        .iter()
        .map(|c| c.mutations[0].to_string())
        .collect();
    for m in [
        "delete gates[0]",
        "duplicate gates[0]",
        "gates = []",
        "gates[0].name = \"release-assets\"",
        "gates[0].name = \"publish-x\"",
        "gates[0].run = null",
        "gates[0].run = \"\"",
        "triggers.pull-request = \"none\"",
        "triggers.pull-request = \"build\"",
        "release = the release of b",
        "versioning = {}",
    ] {
        assert!(all.iter().any(|a| a == m), "no mutation `{m}` among {all:#?}");
    }
    let dup = corpus
        .single_cases(0)
        .into_iter()
        .find(|c| c.mutations[0].to_string() == "duplicate gates[0]")
        .unwrap();
    assert_eq!(
        dup.text(),
        "wfgen: 1\nproject:\n  name: a\ntriggers:\n  pull-request: plan\ngates:\n- name: test\n  run: make test\n- name: test\n  run: make test\n"
    );
    // Bytes spell a chain: base, length, then two bytes per mutation.
    assert_eq!(corpus.decode(&[]).describe(), "a (unchanged)");
    assert_eq!(corpus.decode(&[1, 1, 0, 0, 0, 0]).mutations.len(), 2);
}
