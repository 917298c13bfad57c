"""Reading the audit log: who may read which rows, the page with its filters, the CSV export.

The rows are written by `pregon.core.audit.audit_record` inside every service's transaction;
each app registers what its rows mean (`pregon.core.audit_vocabulary`).
"""
