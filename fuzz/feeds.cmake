# What a CSAF provider lists: ROLIE feeds, changes.csv, index.txt (fuzz_csaf_listing.c).
xsirt_fuzz_target(csaf_listing FILES ${CMAKE_SOURCE_DIR}/fuzz/corpus/csaf_listing)
