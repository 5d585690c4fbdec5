//! The fixture specs the fuzz targets start from, loaded once per process.

use std::sync::OnceLock;

use wfgen::fuzzing::Prepared;
use wfgen::fuzzing::mutations::{BASE_SPECS, Corpus, base_name};

/// The texts of the fixture specs (fixtures/*/wfgen.yaml).
pub const FIXTURES: [&str; 4] = [
    include_str!("../../fixtures/llm-proxy/wfgen.yaml"),
    include_str!("../../fixtures/cluster-tool/wfgen.yaml"),
    include_str!("../../fixtures/opsml/wfgen.yaml"),
    include_str!("../../fixtures/model-server/wfgen.yaml"),
];

/// The fixtures, loaded, planned and rendered.
pub fn prepared() -> &'static [Prepared] {
    static P: OnceLock<Vec<Prepared>> = OnceLock::new();
    P.get_or_init(|| FIXTURES.iter().map(|t| Prepared::new(t)).collect())
}

/// The fixture the first byte of `data` picks, and the rest of `data`.
pub fn pick(data: &[u8]) -> (&'static Prepared, &[u8]) {
    let all = prepared();
    match data.split_first() {
        Some((b, rest)) => (&all[*b as usize % all.len()], rest),
        None => (&all[0], data),
    }
}

/// The base specs of `spec_mutations`, the files of
/// `wfgen::fuzzing::mutations::BASE_SPECS` in its order.
pub const SPECS: [&str; 10] = [
    include_str!("../../fixtures/aicr/wfgen.yaml"),
    include_str!("../../fixtures/airflow/wfgen.yaml"),
    include_str!("../../fixtures/cluster-tool/wfgen.yaml"),
    include_str!("../../fixtures/llm-proxy/wfgen.yaml"),
    include_str!("../../fixtures/mlserver/wfgen.yaml"),
    include_str!("../../fixtures/model-server/wfgen.yaml"),
    include_str!("../../fixtures/opsml/wfgen.yaml"),
    include_str!("../../fixtures/opsml-server/wfgen.yaml"),
    include_str!("../../fixtures/vector/wfgen.yaml"),
    include_str!("../../wfgen.yaml"),
];

/// The base specs and what they hold, for `spec_mutations`, built once per
/// process.
pub fn mutations() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(|| {
        let specs: Vec<(&str, &str)> = BASE_SPECS.iter().map(|p| base_name(p)).zip(SPECS).collect();
        Corpus::new(&specs)
    })
}
