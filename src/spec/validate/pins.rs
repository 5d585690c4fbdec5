//! What the jobs run on and with: the pinned toolchains (`toolchains:`),
//! the runner labels (`runners:`) and the action pins (`pins:`).

use super::*;

/// `toolchains:`: every version pinned, never `latest`.
pub(super) fn toolchains(c: &mut Problems, t: &Toolchains) {
    let rows: [(&str, &Option<String>, &str, &str); 7] = [
        (
            "rust",
            &t.rust,
            r"^(stable|file|\d+\.\d+(\.\d+)?|(nightly|beta)-\d{4}-\d{2}-\d{2})$",
            "`stable`, a version such as `1.86.0`, a dated `nightly-2025-06-01`, or `file` (the repository's rust-toolchain.toml)",
        ),
        (
            "go",
            &t.go,
            r"^(go\.mod|\d+\.\d+\.\d+)$",
            "`go.mod` (its go and toolchain lines), or a full version such as `1.24.6`",
        ),
        (
            "python",
            &t.python,
            r"^3\.\d+(\.\d+)?$",
            "a CPython version such as `3.12` or `3.12.11`",
        ),
        (
            "node",
            &t.node,
            r"^\d+(\.\d+){0,2}$",
            "a Node.js version such as `22` or `22.17.1`",
        ),
        (
            "helm",
            &t.helm,
            r"^v?\d+\.\d+\.\d+$",
            "a Helm release such as `v3.17.3`",
        ),
        (
            "maturin",
            &t.maturin,
            r"^v?\d+\.\d+\.\d+$",
            "a maturin release such as `1.16.0`",
        ),
        (
            "cosign",
            &t.cosign,
            r"^v?\d+\.\d+\.\d+$",
            "a cosign release such as `v3.0.5`",
        ),
    ];
    for (tool, value, pattern, help) in rows {
        let Some(v) = value else { continue };
        if !re(pattern).is_match(v) {
            let what = if v.eq_ignore_ascii_case("latest") || v == "*" || v.ends_with(".x") {
                format!("`{v}` is not a pinned {tool} version")
            } else {
                format!("`{v}` is not a {tool} version wfgen can install")
            };
            c.err(
                ypath!["toolchains", tool],
                Part::Value,
                what,
                format!("every tool is pinned so that a release builds the same twice: write {help}"),
            );
        }
    }
}

/// `runners:`: keys that are targets or platforms, labels that are runner
/// labels GitHub has not retired.
pub(super) fn runners(spec: &Spec, c: &mut Problems) {
    let mut known_keys: Vec<&str> = Vec::new();
    known_keys.extend(names::KNOWN_RUST_TARGETS);
    known_keys.extend(names::KNOWN_GO_TARGETS);
    known_keys.extend(names::PYTHON_PLATFORMS);
    known_keys.extend(names::DOCKER_PLATFORMS);
    for (k, label) in &spec.runners {
        let p = ypath!["runners", k.as_str()];
        if !known_keys.contains(&k.as_str()) {
            let help = match crate::spec::load::did_you_mean(k, &known_keys) {
                Some(s) => format!(
                    "did you mean `{s}`? keys are Rust targets, Go targets, Python platforms and Docker platforms"
                ),
                None => "keys are Rust targets, Go targets, Python platforms and Docker platforms".into(),
            };
            c.err(p.clone(), Part::Key, format!("unknown target or platform `{k}`"), help);
        }
        if names::RETIRED_RUNNERS.contains(&label.as_str()) {
            c.err(
                p,
                Part::Value,
                format!("runner `{label}` is retired by GitHub"),
                format!("use a current label instead, e.g. `{}`", successor(label)),
            );
        } else if !re(r"^[A-Za-z0-9][A-Za-z0-9._-]*$").is_match(label) {
            c.err(
                p,
                Part::Value,
                format!("`{label}` is not a runner label"),
                "a runner label such as `ubuntu-24.04` or the label of your self-hosted runner".into(),
            );
        }
    }
}

/// The current runner label that follows a retired one.
fn successor(label: &str) -> &'static str {
    match label {
        l if l.starts_with("ubuntu") => "ubuntu-24.04",
        "macos-13" | "macos-12" | "macos-11" | "macos-10.15" => "macos-15-intel (x86_64) or macos-14 (arm64)",
        l if l.starts_with("windows") => "windows-2022",
        _ => "ubuntu-24.04",
    }
}

/// `pins:`: action names, full commit SHAs, the versions they are.
pub(super) fn pins(spec: &Spec, c: &mut Problems) {
    for (action, pin) in &spec.pins {
        let p = ypath!["pins", action.as_str()];
        if !re(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?$").is_match(action) {
            c.err(
                p.clone(),
                Part::Key,
                format!("`{action}` is not an action name"),
                "write actions as `owner/repo` or `owner/repo/path`".into(),
            );
        }
        if !re(r"^[0-9a-f]{40}$").is_match(&pin.sha) {
            c.err(
                p.key("sha"),
                Part::Value,
                format!("`{}` is not a full commit SHA", pin.sha),
                "pins are full 40-character lowercase hex commit SHAs; a tag or short SHA can move".into(),
            );
        }
        if pin.version.trim().is_empty() || pin.version.contains(char::is_whitespace) {
            c.err(
                p.key("version"),
                Part::Value,
                "the pin's version is empty or has spaces".into(),
                "the version named in the `# vX.Y.Z` comment, e.g. `v4.2.2`".into(),
            );
        }
    }
}
