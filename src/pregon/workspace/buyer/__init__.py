"""The buyer workspace: a buyer's tenders, drafted, published, answered, amended, cancelled.

Every view is thin: it finds the tender through `selectors.tender_for_buyer` (another
organization's tender answers 404, so drafts stay secret), checks that the person may act
(committee members and auditors read only), parses a form and calls ONE service. A refused
action (`DomainError`) comes back on the form with its status (400, 409 or 422) and nothing
changed. Lots and items are added and removed in place with HTMX; every such form is also a
plain POST that works without JavaScript.

The views are grouped by subject, and `urls` imports them from their module:

- `tenders`: the home, the organization switcher, a new draft, a tender's page, editing a draft;
- `lots`, `items`, `documents`: the parts of a draft;
- `lifecycle`: publish, amend, cancel;
- `questions`: the questions of a tender and their answers;
- `plans`: the buyer's procurement plans, their lines, and the tender drafted from a line;
- `api_keys`: the buyer's API keys;
- `common`: what they share (access to a tender and the roles, page contexts, the lots
  section as an HTMX partial, deletion after confirmation).
"""
