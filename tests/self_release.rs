//! wfgen releases itself with its own wfgen.yaml: the workflows committed in
//! .github/workflows must be exactly what that spec generates.

use std::path::Path;

#[test]
fn own_workflows_are_generated_from_own_spec() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = wfgen::spec::load(&root.join("wfgen.yaml")).unwrap_or_else(|e| panic!("wfgen.yaml: {e}"));
    let rendered = wfgen::generate(&spec);
    assert!(rendered.iter().any(|r| r.path == ".github/workflows/release.yml"));
    for r in &rendered {
        let on_disk = std::fs::read_to_string(root.join(&r.path))
            .unwrap_or_else(|e| panic!("{}: {e}; run `cargo run -- generate`", r.path));
        assert!(on_disk == r.text, "{} is not what wfgen.yaml generates: run `cargo run -- generate`", r.path);
    }
}
