//! Cutting a release: `versioning.prerelease-format` (the spelling of a new
//! pre-release that `wfgen next pre` writes, checked against what the tag
//! grammar accepts) and `triggers.cut`.

use super::{Cut, Pep440Spelling, Scheme, Triggers, Versioning};

/// The problem with the spec's `prerelease-format`, if any: (message, help).
pub fn format_problem(v: &Versioning) -> Option<(String, String)> {
    let f = v.prerelease_format.as_deref()?;
    let (ok, accepted) = match (v.scheme, v.pep440_spelling) {
        (Scheme::Semver, _) => (
            f == "{label}.{n}" || f == "{label}{n}",
            "under semver, `{label}.{n}` (v1.3.0-rc.1) or `{label}{n}` (v1.3.0-rc1): the label and its number are one or two dot-separated identifiers after the `-`",
        ),
        (Scheme::Pep440, Pep440Spelling::Canonical) => {
            return Some((
                format!("prerelease-format `{f}` with `pep440-spelling: canonical`"),
                "canonical tags are spelled in PEP 440's normal form (1.3.0rc1, 1.3.0.dev1): remove prerelease-format, or set pep440-spelling: any".into(),
            ));
        }
        (Scheme::Pep440, Pep440Spelling::Any) => (
            regex::Regex::new(r"^[-_.]?\{label\}[-_.]?\{n\}$")
                .expect("valid regex")
                .is_match(f),
            "under pep440, `{label}` and `{n}`, each after an optional `.`, `-` or `_`: `{label}{n}` (1.3.0rc1), `.{label}{n}` (1.3.0.rc1), `-{label}.{n}` (1.3.0-rc.1)",
        ),
    };
    (!ok).then(|| {
        (
            format!("prerelease-format `{f}` cannot spell a pre-release tag"),
            accepted.to_string(),
        )
    })
}

/// The problem with `triggers.cut`, if any: (the key of `cut` it is about,
/// or None for `cut` itself; message; help).
pub fn cut_problem(cut: &Cut, triggers: &Triggers) -> Option<(Option<&'static str>, String, String)> {
    let b = &cut.branch;
    let valid = regex::Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9._/-]*$")
        .expect("valid regex")
        .is_match(b)
        && !b.contains("..")
        && !b.contains("//")
        && !b.ends_with('/')
        && !b.ends_with(".lock")
        && !b.ends_with('.');
    if !valid {
        return Some((
            Some("branch"),
            format!("`{b}` is not a branch name cut.yml can check"),
            "name the branch releases are cut from, e.g. `main` or `release/1.x`: letters, digits, `.`, `_`, `-` and `/`".into(),
        ));
    }
    if !triggers.dispatch {
        return Some((
            None,
            "`triggers.cut` with `dispatch: false`".into(),
            "cut.yml starts release.yml on the new tag by a workflow_dispatch (a tag pushed with the run's token starts no workflow): keep `dispatch: true`".into(),
        ));
    }
    None
}
