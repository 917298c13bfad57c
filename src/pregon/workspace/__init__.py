"""The buyer and supplier workspaces: the pages where an organization's people work.

`buyer/` drafts, publishes, amends and cancels tenders and answers questions; `supplier/` keeps
the profile and the questions asked; both issue API keys. Each has `views`, `forms` and `urls`;
`common` holds the organization switcher and the navigation they share.
"""
