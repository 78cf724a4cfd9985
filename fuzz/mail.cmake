# The mail reader (issue 12): RFC 5322 / MIME through GMime, and the case
# tag reader; seeded with the small mails in fuzz/corpus/mail (plain,
# RFC 2047 subject, 8-bit Latin-1, multipart with an attachment,
# OpenPGP/MIME, tags in subject and header, broken MIME).
xsirt_fuzz_target(mail FILES ${CMAKE_SOURCE_DIR}/fuzz/corpus/mail)
