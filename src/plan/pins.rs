//! Action pins: the built-in table (../shared/data/action-pins.tsv, embedded
//! as data/action-pins.tsv) overridden by the spec's `pins:`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::spec::Spec;

/// The built-in pins, a copy of the shared action-pins.tsv.
pub const BUILTIN_TSV: &str = crate::spec::names::ACTION_PINS_TSV;

/// Where a pin comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PinSource {
    Builtin,
    Spec,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionPin {
    /// `owner/repo` or `owner/repo/path`.
    pub action: String,
    pub version: String,
    pub sha: String,
    pub source: PinSource,
}

impl ActionPin {
    /// The `uses:` value: `owner/repo@<sha>`.
    pub fn uses(&self) -> String {
        format!("{}@{}", self.action, self.sha)
    }
    /// The whole `uses:` line value with its version comment:
    /// `owner/repo@<sha> # v1.2.3`.
    pub fn uses_line(&self) -> String {
        format!("{} # {}", self.uses(), self.version)
    }
}

/// The resolved pins, by action name.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Pins(pub BTreeMap<String, ActionPin>);

/// Parses the built-in table.
pub fn builtin() -> Pins {
    let mut out = BTreeMap::new();
    for line in BUILTIN_TSV.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 {
            continue;
        }
        let action = crate::spec::names::pinned_action_name(cols[0]);
        out.insert(
            action.clone(),
            ActionPin {
                action,
                version: cols[1].into(),
                sha: cols[2].into(),
                source: PinSource::Builtin,
            },
        );
    }
    Pins(out)
}

/// Built-in pins overridden by the spec's `pins:`.
pub fn resolve(spec: &Spec) -> Pins {
    let mut pins = builtin();
    for (action, p) in &spec.pins {
        pins.0.insert(
            action.clone(),
            ActionPin {
                action: action.clone(),
                version: p.version.clone(),
                sha: p.sha.clone(),
                source: PinSource::Spec,
            },
        );
    }
    pins
}

impl Pins {
    /// The pin of `action`. Panics on an action wfgen does not know: the
    /// templates only use actions of the built-in table.
    pub fn get(&self, action: &str) -> &ActionPin {
        self.0
            .get(action)
            .unwrap_or_else(|| panic!("no pin for action {action}"))
    }
    /// `uses:` values with version comments, by action name, for templates.
    pub fn uses_lines(&self) -> BTreeMap<String, String> {
        self.0.iter().map(|(k, v)| (k.clone(), v.uses_line())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_has_full_shas() {
        let pins = builtin();
        assert!(pins.0.len() >= 20);
        for p in pins.0.values() {
            assert_eq!(p.sha.len(), 40, "{p:?}");
            assert!(p.sha.bytes().all(|b| b.is_ascii_hexdigit()));
        }
        assert_eq!(
            pins.get("actions/checkout").uses_line(),
            "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1"
        );
        assert!(pins.0.contains_key("github/codeql-action/upload-sarif"));
    }

    #[test]
    fn builtin_matches_shared_table_when_present() {
        let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/action-pins.tsv");
        if let Ok(text) = std::fs::read_to_string(shared) {
            assert_eq!(
                text, BUILTIN_TSV,
                "data/action-pins.tsv is out of date: copy ../shared/data/action-pins.tsv"
            );
        }
    }
}
