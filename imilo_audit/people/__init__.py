"""The people in the findings: counsellors under their many spellings, personal fields, pseudonyms.

:mod:`.counsellors` makes one identity of « DUPONT Marie », « Marie Dupont » and login ``mdupont``;
:mod:`.sharing` says which fields are personal and words a finding for a shared page;
:mod:`.pseudonyms` replaces people by stable pseudonyms in a ``--pseudonymise`` audit. Used by the
rules (a pseudonymised audit is pseudonymised as soon as its findings exist) and by the report.
"""
