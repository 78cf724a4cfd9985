# The webhook guard's address and allow-list parsing (fuzz_netaddr.c):
# no shared data holds allow-lists, so its seeds are written here.
xsirt_fuzz_target(netaddr FILES ${CMAKE_SOURCE_DIR}/fuzz/corpus/netaddr)
