//! Any text as a fixture's workflow on disk, compared by check and reported
//! in every format: no panic. The first byte picks the fixture.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (fixture, rest) = wfgen_fuzz::pick(data);
    wfgen::fuzzing::check_workflow(fixture, rest);
});
