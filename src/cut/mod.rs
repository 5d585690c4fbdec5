//! cut: making the next release. Computing its tag from the repository's
//! tags ([`next`]), writing its version into the version files ([`bump`]),
//! and the checks before a tag is created ([`tag`]). The command line
//! (`wfgen next`, `wfgen tag`, `wfgen bump`, `wfgen plan --cut`) asks these;
//! cut.yml carries the same rules for the Actions tab.

pub mod bump;
pub mod next;
pub mod tag;

use crate::plan::Plan;

/// The release tag that `arg` names: the tag itself, or a version to which
/// the spec's tag prefix is added (`1.2.3` -> `v1.2.3`).
pub fn tag_of(plan: &Plan, arg: &str) -> String {
    let g = &plan.grammar;
    if g.parse(arg).is_ok() || g.prefix.is_empty() || arg.starts_with(g.prefix.as_str()) {
        arg.to_string()
    } else {
        format!("{}{arg}", g.prefix)
    }
}

/// What `wfgen bump VERSION` writes: the versions of the release of `arg`
/// (a tag or a version), with each chart's version and appVersion as the
/// release packages it. Err: the release refuses the tag (its one line), or
/// it is a promotion tag, which releases an existing version.
pub fn target(plan: &Plan, arg: &str) -> Result<(String, bump::Target), String> {
    let tag = tag_of(plan, arg);
    let t = plan.evaluate(&tag, &"0".repeat(40), &[]);
    let Some(v) = t.version.filter(|_| t.valid) else {
        return Err(t
            .error
            .unwrap_or_else(|| format!("the release refuses the tag '{tag}'")));
    };
    if v.promotion {
        return Err(format!(
            "'{tag}' is a promotion tag: it releases {} again and changes no file; bump to {} instead",
            v.version, v.version
        ));
    }
    let mut target = bump::Target::of(&v);
    for r in &t.helm {
        target.charts.insert(
            r.chart.trim_start_matches("./").trim_end_matches('/').to_string(),
            (r.version.clone(), r.app_version.clone()),
        );
    }
    Ok((tag, target))
}
