//! Any tag through a fixture's `Plan::evaluate`: every output one line,
//! every Docker tag legal. The first byte picks the fixture.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (fixture, rest) = wfgen_fuzz::pick(data);
    wfgen::fuzzing::version_grammar(fixture, rest);
});
