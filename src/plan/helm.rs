//! The helm-publish.yml plan.

use serde::Serialize;

use crate::spec::Spec;

#[derive(Debug, Clone, Serialize)]
pub struct HelmPlan {
    pub charts: Vec<ChartPlan>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartPlan {
    pub index: usize,
    pub chart: String,
    /// Last path component of the chart directory.
    pub name: String,
    pub registry: String,
    /// appVersion template (placeholders), expanded by the tag script.
    pub app_version: String,
    /// Name of the tag-script output holding this chart's appVersion.
    pub app_version_output: String,
}

pub fn plan(spec: &Spec) -> Option<HelmPlan> {
    if spec.helm.is_empty() {
        return None;
    }
    Some(HelmPlan {
        charts: spec
            .helm
            .iter()
            .enumerate()
            .map(|(i, h)| ChartPlan {
                index: i,
                name: h
                    .chart
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(&h.chart)
                    .to_string(),
                chart: h.chart.trim_end_matches('/').to_string(),
                registry: h.registry.clone(),
                app_version: h.app_version.clone(),
                app_version_output: format!("helm-app-version-{i}"),
            })
            .collect(),
    })
}
