//! Hostile values in every scalar of every fixture spec. Whatever the spec
//! holds, wfgen either refuses it with located problems or generates files
//! that are YAML, hold no `${{` inside any `run:` that the spec put there,
//! and whose tag scripts are valid bash. Never a panic.

mod common;

use std::panic::{AssertUnwindSafe, catch_unwind};

use yaml_serde::Value;

/// Values that break naive quoting in YAML, shell, regexes or globs.
const HOSTILE: &[&str] = &[
    "",
    "\"",
    "'",
    "a: b",
    "# not a comment",
    "x\ny",
    "${{ github.token }}",
    "$(touch /tmp/pwned)",
    "`id`",
    "a'b\"c",
    "*",
    "{",
    "}",
    "{version}",
    "-1",
    "true",
    "~",
    "ümlaut ✓",
    " leading space",
    "back\\slash",
    "%0A::error::x",
];

/// Every path to a scalar in a YAML value.
fn scalar_paths(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                path.push(k.clone());
                scalar_paths(child, path, out);
                path.pop();
            }
        }
        Value::Sequence(s) => {
            for (i, child) in s.iter().enumerate() {
                path.push(Value::Number(i.into()));
                scalar_paths(child, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

fn set(v: &mut Value, path: &[Value], new: Value) {
    let mut cur = v;
    for p in path {
        cur = match (cur, p) {
            (Value::Mapping(m), k) => m.get_mut(k).unwrap(),
            (Value::Sequence(s), Value::Number(n)) => &mut s[n.as_u64().unwrap() as usize],
            _ => unreachable!(),
        };
    }
    *cur = new;
}

/// The `run:` scripts of a workflow, with their YAML paths.
fn runs(v: &Value, at: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                let key = k.as_str().unwrap_or("?");
                if key == "run"
                    && let Some(s) = child.as_str()
                {
                    out.push((format!("{at}.run"), s.to_string()));
                }
                runs(child, format!("{at}.{key}"), out);
            }
        }
        Value::Sequence(s) => {
            for (i, child) in s.iter().enumerate() {
                runs(child, format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn bash_syntax_ok(script: &str) -> Result<(), String> {
    let out = std::process::Command::new("bash")
        .args(["-n", "-c", script])
        .output()
        .map_err(|e| format!("cannot run bash: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn hostile_values_are_refused_or_generate_safe_workflows() {
    let mut tried = 0;
    let mut generated = 0;
    let mut failures = Vec::new();
    for fixture in common::fixtures() {
        let text = std::fs::read_to_string(common::fixture_spec(&fixture)).unwrap();
        let original: Value = yaml_serde::from_str(&text).unwrap();
        // The fixture's own `run:` values (gates) may legitimately hold `${{`
        // only if the spec does; none does, so any `${{` in a run is an injection.
        let mut paths = Vec::new();
        scalar_paths(&original, &mut Vec::new(), &mut paths);
        for path in &paths {
            for hostile in HOSTILE {
                let mut spec = original.clone();
                set(&mut spec, path, Value::String(hostile.to_string()));
                let spec_text = yaml_serde::to_string(&spec).unwrap();
                tried += 1;
                let what = format!("{fixture}: {path:?} = {hostile:?}");
                let result = catch_unwind(AssertUnwindSafe(|| -> Result<bool, String> {
                    let loaded = match wfgen::spec_from_text(
                        std::path::Path::new("wfgen.yaml"),
                        "wfgen.yaml",
                        std::path::Path::new("."),
                        spec_text.clone(),
                    ) {
                        Ok(l) => l,
                        Err(p) => {
                            if p.problems.is_empty() || p.problems.iter().any(|p| p.help.is_none()) {
                                return Err(format!("refused without a located, helped problem: {p}"));
                            }
                            return Ok(false);
                        }
                    };
                    for f in wfgen::generate(&loaded) {
                        let tree: Value =
                            yaml_serde::from_str(&f.text).map_err(|e| format!("{} is not YAML: {e}", f.path))?;
                        let mut scripts = Vec::new();
                        runs(&tree, String::new(), &mut scripts);
                        for (at, script) in scripts {
                            if script.contains("${{") {
                                return Err(format!("{}{at} holds `${{{{`:\n{script}", f.path));
                            }
                            if script.contains("GITHUB_OUTPUT") && at.contains("plan") {
                                bash_syntax_ok(&script)
                                    .map_err(|e| format!("{}{at} is not valid bash: {e}", f.path))?;
                            }
                        }
                    }
                    Ok(true)
                }));
                match result {
                    Ok(Ok(true)) => generated += 1,
                    Ok(Ok(false)) => {}
                    Ok(Err(e)) => failures.push(format!("{what}: {e}")),
                    Err(_) => failures.push(format!("{what}: PANIC")),
                }
            }
        }
    }
    println!(
        "hostile values: {tried} specs tried, {generated} generated, {} refused",
        tried - generated
    );
    assert!(tried > 1000, "only {tried} cases");
    assert!(
        failures.is_empty(),
        "{} failures, first ones:\n{}",
        failures.len(),
        failures.iter().take(15).cloned().collect::<Vec<_>>().join("\n")
    );
}
