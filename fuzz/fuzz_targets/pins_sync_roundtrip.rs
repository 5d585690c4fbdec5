//! A spec built from the input and a fixture, with bumped pins on disk,
//! through `pins sync`: refused, or nothing outside `pins:` changed, the
//! comments kept and `check` clean. The first byte picks the fixture.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (pick, rest) = data.split_first().unwrap_or((&0, &[]));
    let base = wfgen_fuzz::FIXTURES[*pick as usize % wfgen_fuzz::FIXTURES.len()];
    wfgen::fuzzing::pins_sync_roundtrip(base, rest);
});
