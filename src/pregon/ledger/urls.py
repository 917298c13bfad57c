"""The transparency log's HTTP interface, mounted at /log/ without a language prefix.

`/log/` itself is a page for people (in their language); the rest is for programs."""

from django.urls import URLPattern, URLResolver, path

from pregon.ledger import views

app_name = "log"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.log_page, name="index"),
    path("checkpoint", views.checkpoint, name="checkpoint"),
    path("checkpoints", views.checkpoints, name="checkpoints"),
    path("public-key", views.public_key, name="public-key"),
    path("proof/inclusion", views.inclusion_proof, name="inclusion-proof"),
    path("proof/consistency", views.consistency_proof, name="consistency-proof"),
    path("leaves", views.leaves, name="leaves"),
    path("witness/public-key", views.witness_public_key, name="witness-public-key"),
    path("witness/cosignatures", views.witness_cosignatures, name="witness-cosignatures"),
]
