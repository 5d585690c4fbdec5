//! A base spec (a fixture or wfgen's own) changed by a chain of mutations
//! the input picks, key by key as the spec's schema allows: when it
//! validates, it generates every workflow, plans every tag of a tag corpus
//! and renders, without a panic.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| wfgen::fuzzing::spec_mutations(wfgen_fuzz::mutations(), data));
