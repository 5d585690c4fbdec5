//! The fixture specs the fuzz targets start from, loaded once per process.

use std::sync::OnceLock;

use wfgen::fuzzing::Prepared;

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
