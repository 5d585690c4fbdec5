//! The registry hosts the spec names: an image's (`docker[].image`,
//! `mirrors`) and a chart registry's (`helm[].registry`). Pure string logic,
//! read by validation, by the plan's registry logins and by `init`.

/// Registry host of an image name: the first component when it looks like a
/// host (has `.` or `:` or is `localhost`), else docker.io.
pub fn image_host(image: &str) -> String {
    match image.split_once('/') {
        Some((first, _)) if first.contains(['.', ':']) || first == "localhost" => first.to_string(),
        _ => "docker.io".to_string(),
    }
}

/// The host of an `oci://host/path` chart registry.
pub fn chart_host(registry: &str) -> String {
    registry
        .trim_start_matches("oci://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Whether `registry` is an OCI registry a chart can be pushed to:
/// `oci://host[:port][/path]`, lowercase.
pub fn is_chart_registry(registry: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^oci://[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._-]+)*$").expect("valid regex"))
        .is_match(registry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_images_and_chart_registries() {
        assert_eq!(image_host("ghcr.io/acme/app"), "ghcr.io");
        assert_eq!(image_host("localhost/app"), "localhost");
        assert_eq!(image_host("registry:5000/app"), "registry:5000");
        assert_eq!(image_host("acme/app"), "docker.io");
        assert_eq!(image_host("app"), "docker.io");
        assert_eq!(chart_host("oci://ghcr.io/acme/charts"), "ghcr.io");
        assert!(is_chart_registry("oci://ghcr.io/acme/charts"));
        assert!(!is_chart_registry("https://ghcr.io/acme/charts"));
    }
}
