//! `helm:`: chart directories, OCI registries, the chart's version and
//! appVersion templates. The plan checks the login of each registry's host
//! and that the chart version is SemVer 2 (`plan::registries`, `plan::helm`).

use super::*;

pub(super) fn check(spec: &Spec, c: &mut Problems) {
    for (i, h) in spec.helm.iter().enumerate() {
        let p = ypath!["helm", i];
        c.section(Section::Chart(i, ChartCheck::Paths));
        paths(c, &p, h);
        c.section(Section::Chart(i, ChartCheck::Versions));
        versions(c, &p, h);
    }
}

/// The chart directory, inside the repository, and an OCI registry.
fn paths(c: &mut Problems, p: &YPath, h: &HelmChart) {
    if !inside_repository(&h.chart) {
        c.err(
            p.key("chart"),
            Part::Value,
            format!("`{}` is not a chart directory inside the repository", h.chart),
            "the directory holding Chart.yaml, from the repository root".into(),
        );
    }
    if !is_chart_registry(&h.registry) {
        c.err(
            p.key("registry"),
            Part::Value,
            format!("`{}` is not an OCI registry", h.registry),
            "write it as `oci://ghcr.io/<owner>/charts`".into(),
        );
    }
}

/// The placeholders of `app-version` and `version`: a version's.
fn versions(c: &mut Problems, p: &YPath, h: &HelmChart) {
    c.placeholders(
        p.key("app-version"),
        &h.app_version,
        names::VERSION_PLACEHOLDERS,
        &|_| "appVersion is the same for every image variant and platform".into(),
    );
    if let Some(t) = &h.version {
        c.placeholders(p.key("version"), t, names::VERSION_PLACEHOLDERS, &|_| {
            "the chart version is the same for every image variant and platform".into()
        });
    }
}
