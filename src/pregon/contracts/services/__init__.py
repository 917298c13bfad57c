"""Every change of a contract, its deliveries, invoices and payments: one function each (see
`services.contracts` and `services.invoices`)."""

from pregon.contracts.services.contracts import (
    contract_amend,
    contract_cancel,
    contract_complete,
    contract_confirm,
    contract_document_add,
    contract_draft,
    contract_order_draft,
    contract_sign,
    contract_terminate,
    contract_update,
    milestone_add,
    milestone_meet,
    milestone_remove,
)
from pregon.contracts.services.data import (
    AmendmentData,
    ContractData,
    DocumentData,
    InvoiceData,
    MilestoneData,
    OrderData,
    PaymentData,
)
from pregon.contracts.services.invoices import (
    invoice_accept,
    invoice_reject,
    invoice_submit,
    payment_record,
)

__all__ = [
    "AmendmentData",
    "ContractData",
    "DocumentData",
    "InvoiceData",
    "MilestoneData",
    "OrderData",
    "PaymentData",
    "contract_amend",
    "contract_cancel",
    "contract_complete",
    "contract_confirm",
    "contract_document_add",
    "contract_draft",
    "contract_order_draft",
    "contract_sign",
    "contract_terminate",
    "contract_update",
    "invoice_accept",
    "invoice_reject",
    "invoice_submit",
    "milestone_add",
    "milestone_meet",
    "milestone_remove",
    "payment_record",
]
