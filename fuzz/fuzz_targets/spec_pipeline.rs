//! Any bytes as wfgen.yaml through load, validate, plan and render: no panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wfgen::fuzzing::spec_pipeline(data));
