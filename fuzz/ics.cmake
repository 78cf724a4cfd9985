# ICS advisories without identifiers (issue 15):
#   cisa_vers  CISA's product-version grammar (xsirt_vers_from_cisa), seeded
#              with every distinct version text of the shared CISA set, with
#              its product name after a tab (seeds.py cisa_vers)
#   inventory  the device inventory CSV reader, seeded with small inventories
#              built from the set's vendor/product/version triples, in
#              UTF-8, UTF-8 with BOM and Shift_JIS (seeds.py inventory)
xsirt_fuzz_target(cisa_vers SEEDS FILES ${CMAKE_SOURCE_DIR}/fuzz/corpus/cisa_vers)
xsirt_fuzz_target(inventory SEEDS FILES ${CMAKE_SOURCE_DIR}/fuzz/corpus/inventory)
