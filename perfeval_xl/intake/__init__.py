"""The finance bureau's intake: mail and files in, pre-flight (SEC rules), check, ledger, receipts, summary.

* ``sources``     – files, folders, .eml, .mbox, Maildir, .zip, .msg, IMAP → envelopes
* ``attachments`` – MIME walking, encoded names, message/rfc822, TNEF, zip, .msg (optional GPL extra)
* ``preflight``   – SEC001… security checks before any spreadsheet parser sees a file
* ``batch``       – worker processes, deterministic order, one failure never stops a batch
* ``ledger``      – SQLite: every submission, duplicates, supersessions; idempotent
* ``receipt``     – 回执 (text, HTML) and the reply draft (.eml); SMTP only with --send
* ``summary``     – summary.xlsx (charts) and summary.json across submissions
* ``status``      – expected departments against the ledger
"""
