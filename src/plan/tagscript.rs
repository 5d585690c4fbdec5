//! The tag-validation script of the `plan` jobs (release.yml, docker.yml,
//! helm-publish.yml): the version grammar and the outputs of
//! [`super::Plan::evaluate`], as bash.
//!
//! Contract:
//! - env in: `TAG` (the tag), `SHA` (its commit; when empty, `git rev-parse HEAD`),
//!   `GITHUB_OUTPUT` (file the outputs are appended to).
//! - For an accepted tag, appends exactly `TagPlan::outputs` (multi-line values
//!   in the `name<<DELIMITER` form) and exits 0.
//! - For a rejected tag, appends `tag` and `valid=false`, prints one
//!   `::error title=Invalid release tag::<TagPlan::error>` line and exits 1.
//! - No `${{ }}` anywhere; shellcheck-clean.

use super::Plan;

/// The bash script. (Stub until the real generator lands.)
pub fn script(_plan: &Plan) -> String {
    "echo \"tag: ${TAG}\"\n".to_string()
}
